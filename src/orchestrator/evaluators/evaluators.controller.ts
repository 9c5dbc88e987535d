import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { ORCHESTRATOR_CONFIG } from '../common/tokens.js';
import type { OrchestratorConfig } from '../config/orchestrator-config.js';

/** The evaluators as pinned in the orchestrator's configuration. */
@ApiTags('evaluators')
@Controller('evaluators')
export class EvaluatorsController {
  constructor(@Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig) {}

  @Get()
  @ApiOperation({ summary: 'List the evaluators with their pinned public keys, n and the degree t' })
  list() {
    return evaluatorSetOf(this.config);
  }
}

/** Returns the public view of the pinned evaluators: n, the degree t and each party's URL and keys. */
export function evaluatorSetOf(config: OrchestratorConfig) {
  return {
    parties: config.evaluators.length,
    degree: config.degree,
    evaluators: config.evaluators.map((evaluator) => ({
      party: evaluator.party,
      url: evaluator.url,
      signingKey: evaluator.signingKey,
      sealingKey: evaluator.sealingKey,
    })),
  };
}

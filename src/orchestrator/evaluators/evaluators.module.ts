import { Module } from '@nestjs/common';

import { EnvelopeBatcher } from './envelope-batcher.js';
import { EvaluatorClient } from './evaluator-client.js';
import { EvaluatorsController } from './evaluators.controller.js';

/** Access to the evaluator services and their pinned identities. */
@Module({
  controllers: [EvaluatorsController],
  providers: [EvaluatorClient, EnvelopeBatcher],
  exports: [EvaluatorClient, EnvelopeBatcher],
})
export class EvaluatorsModule {}

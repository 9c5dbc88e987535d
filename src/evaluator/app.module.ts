import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';

import { AuctionsModule } from './auctions/auctions.module.js';
import { DomainExceptionFilter } from './common/domain-exception.filter.js';
import { OrchestratorGuard } from './common/orchestrator.guard.js';
import { RateLimitModule, type RequestHeaders } from '../common/rate-limit.module.js';
import { carriesOrchestratorToken } from './common/orchestrator.guard.js';
import { EVALUATOR_CONFIG, EVALUATOR_KEYS } from './common/tokens.js';
import { ComputeModule } from './compute/compute.module.js';
import type { EvaluatorConfig } from './config/evaluator-config.js';
import { EvaluatorDatabase } from './database/evaluator-database.js';
import { IdentityController } from './identity/identity.controller.js';
import type { EvaluatorKeys } from './keys/index.js';
import { PeersModule } from './peers/peers.module.js';
import { RetentionService } from './retention/retention.service.js';

/** Context shared by the application modules: configuration, keys and the open database. */
export interface EvaluatorContext {
  config: EvaluatorConfig;
  keys: EvaluatorKeys;
  database: EvaluatorDatabase;
}

@Global()
@Module({})
class ContextModule {
  static register(context: EvaluatorContext): DynamicModule {
    const providers = [
      { provide: EVALUATOR_CONFIG, useValue: context.config },
      { provide: EVALUATOR_KEYS, useValue: context.keys },
      { provide: EvaluatorDatabase, useValue: context.database },
      OrchestratorGuard,
    ];
    return { module: ContextModule, providers, exports: providers };
  }
}

/** The evaluator application: one instance per evaluator process. */
@Module({})
export class EvaluatorAppModule {
  static register(context: EvaluatorContext): DynamicModule {
    return {
      module: EvaluatorAppModule,
      imports: [ContextModule.register(context), RateLimitModule.forRoot(rateLimitOf(context.config)), PeersModule, AuctionsModule, ComputeModule],
      controllers: [IdentityController],
      providers: [RetentionService, { provide: APP_FILTER, useClass: DomainExceptionFilter }],
    };
  }
}

// Requests without the orchestrator's token, such as GET /v1/identity or guesses at the token, are counted.
function rateLimitOf(config: EvaluatorConfig) {
  return {
    limit: config.rateLimit,
    windowMs: config.rateLimitWindowMs,
    exempt: (headers: RequestHeaders) => carriesOrchestratorToken(headers, config.orchestratorToken),
  };
}

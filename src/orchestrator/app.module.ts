import { Module, type DynamicModule } from '@nestjs/common';

import { AuctionCommandsModule } from './auctions/auction-commands.module.js';
import { AuctionsModule } from './auctions/auctions.module.js';
import { BiddersModule } from './bidders/bidders.module.js';
import { InfrastructureModule } from './common/infrastructure.module.js';
import { RateLimitModule } from '../common/rate-limit.module.js';
import { carriesOperatorKey } from './common/operator.guard.js';
import { ComputationModule } from './computation/computation.module.js';
import type { OrchestratorConfig } from './config/orchestrator-config.js';
import { EvaluatorsModule } from './evaluators/evaluators.module.js';
import { EventsModule } from './events/events.module.js';
import { HealthController } from './health.controller.js';
import { SubmissionsModule } from './submissions/submissions.module.js';
import { WebModule } from './web/web.module.js';

/** The orchestrator application. */
@Module({})
export class OrchestratorModule {
  static forRoot(config: OrchestratorConfig): DynamicModule {
    return {
      module: OrchestratorModule,
      imports: [
        InfrastructureModule.forRoot(config),
        RateLimitModule.forRoot({
          limit: config.rateLimit,
          windowMs: config.rateLimitWindowMs,
          // Public reads, bidder calls and failed operator calls are counted.
          exempt: (headers) => carriesOperatorKey(headers, config.operatorApiKey),
        }),
        AuctionsModule,
        AuctionCommandsModule,
        BiddersModule,
        SubmissionsModule,
        ComputationModule,
        EvaluatorsModule,
        EventsModule,
        WebModule,
      ],
      controllers: [HealthController],
    };
  }
}

import { Global, Module, type DynamicModule } from '@nestjs/common';

import type { OrchestratorConfig } from '../config/orchestrator-config.js';
import { DatabaseService } from '../database/database.service.js';
import { AuctionEvents } from '../events/auction-events.js';
import { KeyedLock } from './keyed-lock.js';
import { ORCHESTRATOR_CONFIG } from './tokens.js';

/** Process-wide services: configuration, database, per-auction locks and the event bus. */
@Global()
@Module({})
export class InfrastructureModule {
  /** Provides the given configuration and opens the database before any other provider starts. */
  static forRoot(config: OrchestratorConfig): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [
        { provide: ORCHESTRATOR_CONFIG, useValue: config },
        { provide: DatabaseService, useFactory: () => DatabaseService.open(config) },
        KeyedLock,
        AuctionEvents,
      ],
      exports: [ORCHESTRATOR_CONFIG, DatabaseService, KeyedLock, AuctionEvents],
    };
  }
}

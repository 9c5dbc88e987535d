import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';

import { openDatabase } from '../../db/index.js';
import type { OrchestratorConfig } from '../config/orchestrator-config.js';
import { PrismaClient } from '../generated/prisma/client.js';

/**
 * Holds the orchestrator's Prisma client. Create it with
 * DatabaseService.open, which applies every pending migration first.
 */
@Injectable()
export class DatabaseService implements OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseService.name);

  private constructor(
    readonly prisma: PrismaClient,
    private readonly closeDatabase: () => Promise<void>,
  ) {}

  /**
   * Opens the embedded PGlite database under the data folder, or PostgreSQL
   * when DATABASE_URL is set, and applies pending migrations.
   * @throws MigrationError when the migrations cannot be applied.
   */
  static async open(config: Pick<OrchestratorConfig, 'dataDir' | 'databaseUrl'>): Promise<DatabaseService> {
    const database = await openDatabase({
      role: 'orchestrator',
      dataDir: config.dataDir,
      databaseUrl: config.databaseUrl ?? undefined,
      createClient: (adapter) => new PrismaClient({ adapter }),
    });
    const service = new DatabaseService(database.client, () => database.close());
    const applied = database.appliedMigrations.length === 0 ? 'none pending' : database.appliedMigrations.join(', ');
    service.logger.log(`database open (${database.backend}); migrations applied: ${applied}`);
    return service;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.closeDatabase();
    this.logger.log('database closed');
  }
}

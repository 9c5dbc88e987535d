/** The evaluator's own database, opened once at start-up. */
import { openDatabase, type Database } from '../../db/index.js';
import { PrismaClient } from '../generated/prisma/client.js';

/** Holds the evaluator's Prisma client; services inject this class. */
export class EvaluatorDatabase {
  private closed = false;

  private constructor(private readonly database: Database<PrismaClient>) {}

  /**
   * Opens the database in dataDir (PGlite) or at databaseUrl, applying migrations.
   * @throws MigrationError when the migrations cannot be applied.
   */
  static async open(options: { dataDir: string; databaseUrl?: string }): Promise<EvaluatorDatabase> {
    const database = await openDatabase({
      role: 'evaluator',
      dataDir: options.dataDir,
      databaseUrl: options.databaseUrl,
      createClient: (adapter) => new PrismaClient({ adapter }),
    });
    return new EvaluatorDatabase(database);
  }

  get client(): PrismaClient {
    return this.database.client;
  }

  get backend(): 'pglite' | 'postgres' {
    return this.database.backend;
  }

  get appliedMigrations(): string[] {
    return this.database.appliedMigrations;
  }

  /** Closes the client and the connection; later calls do nothing. */
  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    await this.database.close();
  }
}

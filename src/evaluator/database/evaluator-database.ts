/** The evaluator's own database, opened once at start-up. */
import { openDatabase, type Database } from '../../db/index.js';
import { PrismaClient } from '../generated/prisma/client.js';

/**
 * shared_buffers of the embedded database. The intake writes each envelope
 * once, and a run reads only the envelopes whose shares are not in memory,
 * so a small buffer pool costs little. PostgreSQL's default of 128 MB fills
 * with envelope pages, and PGlite never returns that memory: in a test that
 * wrote and read 100 MB of rows, 16 MB kept the process 56 MB smaller. A
 * standalone PostgreSQL keeps its own setting.
 */
const PGLITE_SHARED_BUFFERS = '16MB';

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
      sharedBuffers: PGLITE_SHARED_BUFFERS,
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

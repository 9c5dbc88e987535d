/** Database access shared by the orchestrator and the evaluators. */
export { migrationsDirectory, openDatabase, type Database, type DatabaseAdapter, type OpenDatabaseOptions } from './database.js';
export { applyMigrations, MigrationError, readMigrations, type MigrationFile } from './migrations.js';
export { withMergedParsers } from './pglite-parsers.js';
export { pgliteSession, pgSession, type SqlSession } from './sql-session.js';

/** Database access shared by the orchestrator and the evaluators. */
export { DatabaseOpenError, migrationsDirectory, openDatabase, type Database, type DatabaseAdapter, type OpenDatabaseOptions } from './database.js';
export { applyMigrations, MigrationError, readMigrations, type MigrationFile } from './migrations.js';
export { adapterView } from './pglite-adapter-view.js';
export { DEFAULT_PREPARED_STATEMENTS, PreparedStatements } from './prepared-statements.js';
export { pgliteSession, pgSession, type SqlSession } from './sql-session.js';

/** Evaluator key custody: key file creation and loading, recovery share backup and restore. */
export {
  describeKeys,
  generateEvaluatorKeys,
  keyFingerprint,
  KeyFileError,
  loadOrCreateKeys,
  parseKeys,
  readKeyFile,
  serializeKeys,
  writeKeyFile,
  type EvaluatorKeys,
  type KeySource,
} from './key-file.js';
export { backupKeyFile, restoreKeyFile, type KeyBackupOptions, type KeyRestoreOptions } from './key-backup.js';

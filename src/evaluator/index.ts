/** The evaluator service: start-up, configuration and key custody for the CLI. */
export { startEvaluator, type RunningEvaluator } from './bootstrap.js';
export { ConfigError, loadEvaluatorConfig, parsePeers, type EvaluatorConfig, type PeerConfig } from './config/evaluator-config.js';
export * from './keys/index.js';

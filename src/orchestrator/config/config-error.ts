/** ConfigError is defined in src/common, which both services import, so the evaluator needs no orchestrator code. */
export { ConfigError } from '../../common/config-error.js';

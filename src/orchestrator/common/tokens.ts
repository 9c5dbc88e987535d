/** Injection token of the checked OrchestratorConfig. */
export const ORCHESTRATOR_CONFIG = Symbol('ORCHESTRATOR_CONFIG');

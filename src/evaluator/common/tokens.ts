/** Injection tokens of the evaluator's shared providers. */
export const EVALUATOR_CONFIG = Symbol('EVALUATOR_CONFIG');
export const EVALUATOR_KEYS = Symbol('EVALUATOR_KEYS');

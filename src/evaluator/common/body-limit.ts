/** Largest JSON body an evaluator reads on every route except the compute request, which has its own reader. */
export const BODY_LIMIT_BYTES = 16 * 1024 * 1024;

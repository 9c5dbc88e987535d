/**
 * Sharing parameters. Party i (1..n) holds the evaluation at x = i of a random
 * polynomial of degree t whose constant term is the secret. Any t + 1 shares
 * reconstruct (the reconstruction count); t or fewer reveal nothing. Products
 * of two sharings have degree 2t, so honest-majority multiplication needs
 * n >= 2t + 1.
 */
export interface ShamirParams {
  /** Number of parties n. */
  parties: number;
  /** Polynomial degree t: the number of parties that may collude without learning anything. */
  degree: number;
}

/** Largest supported party count; the wire format carries party numbers in one byte. */
export const MAX_PARTIES = 255;

/**
 * Checks that n and t are integers with t >= 1 and n >= 2t + 1, and returns them.
 * @throws RangeError naming the bad parameter; values are never clamped.
 */
export function checkParams(params: ShamirParams): ShamirParams {
  const { parties, degree } = params;
  if (!Number.isInteger(degree) || degree < 1) {
    throw new RangeError(`degree t must be an integer of at least 1, got ${degree}`);
  }
  if (!Number.isInteger(parties) || parties > MAX_PARTIES) {
    throw new RangeError(`party count n must be an integer of at most ${MAX_PARTIES}, got ${parties}`);
  }
  if (parties < 2 * degree + 1) {
    throw new RangeError(
      `party count n must be at least 2t + 1 = ${2 * degree + 1} for degree t = ${degree}, got ${parties}`,
    );
  }
  return params;
}

/** Number of shares that reconstruct a degree-t sharing: t + 1. */
export function reconstructionCount(params: ShamirParams): number {
  return params.degree + 1;
}

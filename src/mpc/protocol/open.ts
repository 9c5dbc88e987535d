import { inconsistentIndices, reconstructVectors } from '../shamir/shamir.js';
import { ProtocolAbortError } from '../runtime/errors.js';
import type { PartyRuntime } from '../runtime/party-runtime.js';

/**
 * Opens sharings of the given degree to every party. When n > degree + 1 the
 * spare shares must lie on the polynomial through the first degree + 1, so an
 * altered share is detected and the run aborts instead of returning a value.
 * @throws ProtocolAbortError naming the inconsistent openings.
 */
export async function open(runtime: PartyRuntime, shares: Uint32Array, degree = runtime.degree): Promise<Uint32Array> {
  const vectors = await runtime.exchange('open', () => shares);
  checkLengths(vectors, shares.length);

  const bad = inconsistentIndices(vectors, degree);
  if (bad.length > 0) {
    const error = new ProtocolAbortError(
      `run ${runtime.runId}: ${bad.length} of ${shares.length} opened values do not lie on one ` +
        `polynomial of degree ${degree}; an evaluator sent a wrong share, so no value is returned`,
    );
    runtime.abort(error);
    throw error;
  }
  return reconstructVectors(vectors, degree);
}

/** @throws ProtocolAbortError when a party sent a vector of the wrong length. */
export function checkLengths(vectors: Uint32Array[], expected: number): void {
  vectors.forEach((vector, j) => {
    if (vector.length !== expected) {
      throw new ProtocolAbortError(`party ${j + 1} sent ${vector.length} values, expected ${expected}`);
    }
  });
}

import { P } from '../../../src/mpc/index.js';
import { add } from '../../../src/mpc/field/fast-field.js';
import { REASON_INCONSISTENT, REASON_NOT_A_BIT } from '../../../src/mpc/protocol/validate.js';
import { degreeFor, shareAt } from '../harness.js';
import { shareAmounts, type SharedBid } from './auction-harness.js';

export type MaliciousKind = 'non-bit 2' | 'non-bit P-1' | 'off-polynomial' | 'wrong length' | 'rejected';

export const MALICIOUS_KINDS: MaliciousKind[] = ['non-bit 2', 'non-bit P-1', 'off-polynomial', 'wrong length', 'rejected'];

/**
 * Builds one malicious bid and the reason the evaluators must record for it.
 * The bid misbehaves toward the given party, at bit (party mod bits).
 */
export function maliciousBid(kind: MaliciousKind, bits: number, parties: number, party: number): { bid: SharedBid; reason: string } {
  const degree = degreeFor(parties);
  const index = party % bits;
  if (kind === 'non-bit 2' || kind === 'non-bit P-1') {
    const values = new Array<number>(bits).fill(0);
    values[index] = kind === 'non-bit 2' ? 2 : P - 1;
    return { bid: shareAt(values, parties, degree), reason: REASON_NOT_A_BIT };
  }

  const bid = shareAmounts([1n], bits, parties)[0];
  if (kind === 'off-polynomial') {
    const vector = bid[party - 1] as Uint32Array;
    vector[index] = add(vector[index], 1 + party);
    return { bid, reason: REASON_INCONSISTENT };
  }
  if (kind === 'wrong length') {
    bid[party - 1] = new Uint32Array(bits + 1);
    return { bid, reason: `evaluator ${party}: expected ${bits} bit shares, got ${bits + 1}` };
  }
  bid[party - 1] = { rejected: 'envelope signature is invalid' };
  return { bid, reason: `evaluator ${party}: envelope signature is invalid` };
}

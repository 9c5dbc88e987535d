import { add, isElement, mul, sub } from '../field/fast-field.js';
import { CHECK_REPETITIONS } from '../field/prime.js';
import { SeedStream } from '../prg.js';
import { inconsistentIndices, reconstructVectors } from '../shamir/shamir.js';
import type { PartyRuntime } from '../runtime/party-runtime.js';
import type { Rejection } from '../auction/outcome.js';
import { ProtocolAbortError } from '../runtime/errors.js';
import { checkLengths, open } from './open.js';
import { dealJointRandomness } from './randomness.js';

/** One party's input for one bid: its share vector, or why this party could not use it. */
export type BidInput = Uint32Array | { rejected: string };

/** Bids that passed validation, with the reasons for the others. */
export interface ValidationResult {
  /** Positions of the valid bids, in input order. */
  valid: number[];
  rejected: Rejection[];
  /** A public random seed that no party chose alone, for later draws such as a lottery. */
  seed: Uint32Array;
}

const SEED_WORDS = 5;

export const REASON_INCONSISTENT = 'bid shares do not lie on one polynomial of degree t';
export const REASON_NOT_A_BIT = 'a shared value of the bid is not a bit (0 or 1)';

/**
 * Validates bids that come from untrusted bidders. First each party checks its
 * own share vectors (length, field range) and all parties learn the union of
 * these local rejections. Then, for every remaining bid, they open two values.
 * A random linear combination of its shares plus a random degree-t mask lies
 * on a degree-t polynomial only if every share vector does. A random linear
 * combination of b(1 - b) plus a degree-2t sharing of zero is zero only if
 * every value is a bit. The challenges come from a jointly random seed
 * drawn after the inputs are fixed, and the masks make a valid bid's openings
 * uniformly random, so a valid bid reveals nothing. Each check is repeated
 * CHECK_REPETITIONS times. Three rounds: deal (with the local rejections), open
 * the seed, open the checks.
 */
export async function validateBids(runtime: PartyRuntime, bids: BidInput[], bits: number): Promise<ValidationResult> {
  const checks = bids.length * CHECK_REPETITIONS;
  const flags = encodeText(JSON.stringify([...localRejections(bids, bits).entries()]));
  const masks = await dealJointRandomness(runtime, checks + SEED_WORDS, checks, flags);
  const rejected = mergeRejections(masks.extras);
  const rejectedSet = new Set(rejected.map((r) => r.bid));
  const candidates = bids.map((_, i) => i).filter((i) => !rejectedSet.has(i));
  const seed = await open(runtime, masks.random.slice(checks));

  const openings = combineForChecks(seed, candidates.map((i) => bids[i] as Uint32Array), bits, masks);
  const failures = await openChecks(runtime, openings, candidates.length);

  failures.forEach((reason, c) => {
    if (reason) {
      rejected.push({ bid: candidates[c], reason });
    }
  });
  rejected.sort((a, b) => a.bid - b.bid);
  return { valid: candidates.filter((_, c) => !failures[c]), rejected, seed };
}

/** Checks this party's share vectors: presence, length and field range. */
export function localRejections(bids: BidInput[], bits: number): Map<number, string> {
  const reasons = new Map<number, string>();
  bids.forEach((bid, i) => {
    if (!(bid instanceof Uint32Array)) {
      reasons.set(i, bid.rejected);
    } else if (bid.length !== bits) {
      reasons.set(i, `expected ${bits} bit shares, got ${bid.length}`);
    } else if (!bid.every(isElement)) {
      reasons.set(i, 'a share is outside the field');
    }
  });
  return reasons;
}

/** Merges every party's local rejections; the lowest-numbered party's reason is kept. */
function mergeRejections(flags: Uint32Array[]): Rejection[] {
  const merged = new Map<number, string>();

  flags.forEach((vector, j) => {
    for (const [bid, reason] of parseRejections(vector, j + 1)) {
      if (!merged.has(bid)) {
        merged.set(bid, `evaluator ${j + 1}: ${reason}`);
      }
    }
  });
  return [...merged.entries()].map(([bid, reason]) => ({ bid, reason }));
}

interface CheckOpenings {
  /** Per bid and repetition: a masked random combination of the shares, degree t. */
  consistency: Uint32Array;
  /** Per bid and repetition: a masked random combination of b(1 - b), degree 2t. */
  bitness: Uint32Array;
}

/** Bids whose challenges are drawn at once, so that the challenges of all bids never sit in memory together. */
const CHALLENGE_BATCH = 4096;

function combineForChecks(seed: Uint32Array, bids: Uint32Array[], bits: number, masks: { random: Uint32Array; zeros: Uint32Array }): CheckOpenings {
  const checks = bids.length * CHECK_REPETITIONS;
  const rhoStream = new SeedStream(seed, 'validation/consistency');
  const sigmaStream = new SeedStream(seed, 'validation/bits');
  const consistency = masks.random.slice(0, checks);
  const bitness = masks.zeros.slice(0, checks);

  for (let first = 0; first < bids.length; first += CHALLENGE_BATCH) {
    const batch = bids.slice(first, first + CHALLENGE_BATCH);
    const rho = rhoStream.next(batch.length * CHECK_REPETITIONS * bits);
    const sigma = sigmaStream.next(batch.length * CHECK_REPETITIONS * bits);
    batch.forEach((shares, b) => {
      for (let r = 0; r < CHECK_REPETITIONS; r++) {
        const local = b * CHECK_REPETITIONS + r;
        const c = (first + b) * CHECK_REPETITIONS + r;
        for (let i = 0; i < bits; i++) {
          const x = shares[i];
          consistency[c] = add(consistency[c], mul(rho[local * bits + i], x));
          bitness[c] = add(bitness[c], mul(sigma[local * bits + i], sub(x, mul(x, x))));
        }
      }
    });
  }
  return { consistency, bitness };
}

async function openChecks(runtime: PartyRuntime, openings: CheckOpenings, count: number): Promise<Array<string | null>> {
  const checks = openings.consistency.length;
  const payload = new Uint32Array(2 * checks);
  payload.set(openings.consistency, 0);
  payload.set(openings.bitness, checks);

  const vectors = await runtime.exchange('validate', () => payload);
  checkLengths(vectors, 2 * checks);
  const consistency = vectors.map((v) => v.subarray(0, checks));
  const bitness = vectors.map((v) => v.subarray(checks));

  const inconsistent = new Set(inconsistentIndices(consistency, runtime.degree).map((c) => Math.floor(c / CHECK_REPETITIONS)));
  const bitValues = reconstructVectors(bitness, 2 * runtime.degree);
  const failures: Array<string | null> = [];
  for (let b = 0; b < count; b++) {
    const notBits = bitValues.subarray(b * CHECK_REPETITIONS, (b + 1) * CHECK_REPETITIONS).some((v) => v !== 0);
    if (inconsistent.has(b)) {
      failures.push(REASON_INCONSISTENT);
    } else if (notBits) {
      failures.push(REASON_NOT_A_BIT);
    } else {
      failures.push(null);
    }
  }
  return failures;
}

function parseRejections(vector: Uint32Array, party: number): Array<[number, string]> {
  try {
    const entries = JSON.parse(decodeText(vector)) as unknown;
    if (Array.isArray(entries) && entries.every((e) => Array.isArray(e) && Number.isInteger(e[0]) && typeof e[1] === 'string')) {
      return entries as Array<[number, string]>;
    }
  } catch {
    // Reported below with the party that sent it.
  }
  throw new ProtocolAbortError(`party ${party} sent a malformed list of rejected bids`);
}

function encodeText(text: string): Uint32Array {
  return Uint32Array.from(new TextEncoder().encode(text));
}

function decodeText(words: Uint32Array): string {
  return new TextDecoder().decode(Uint8Array.from(words));
}

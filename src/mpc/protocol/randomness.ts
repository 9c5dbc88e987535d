import { add, inv, mul, sqrt, sub } from '../field/fast-field.js';
import { shareSecrets } from '../shamir/shamir.js';
import type { PartyRuntime } from '../runtime/party-runtime.js';
import { multiply } from './multiply.js';
import { ProtocolAbortError } from '../runtime/errors.js';
import { open } from './open.js';

/** What one dealing round produces: random degree-t sharings and degree-2t sharings of zero. */
export interface JointRandomness {
  random: Uint32Array;
  zeros: Uint32Array;
  /** The public words each party sent along, indexed by party - 1. */
  extras: Uint32Array[];
}

/**
 * Creates jointly random sharings without a dealer: every party shares its own
 * random values (and zeros of degree 2t), and each party adds up what it
 * receives. The sums are uniform and unknown to any t parties, because at least
 * one contribution comes from an honest party. One round.
 */
export async function dealJointRandomness(
  runtime: PartyRuntime,
  randomCount: number,
  zeroCount = 0,
  extra: Uint32Array = new Uint32Array(0),
): Promise<JointRandomness> {
  const { parties, degree } = runtime;
  const randomShares = shareSecrets(runtime.random(randomCount), parties, degree, runtime.random);
  const zeroShares = shareSecrets(new Uint32Array(zeroCount), parties, 2 * degree, runtime.random);

  const dealt = randomCount + zeroCount;
  const received = await runtime.exchange('deal', (peer) =>
    concat(concat(randomShares[peer - 1], zeroShares[peer - 1]), extra),
  );
  received.forEach((vector, j) => {
    if (vector.length < dealt) {
      throw new ProtocolAbortError(`party ${j + 1} dealt ${vector.length} values, expected at least ${dealt}`);
    }
  });

  const sums = new Uint32Array(dealt);
  for (const vector of received) {
    for (let i = 0; i < dealt; i++) {
      sums[i] = add(sums[i], vector[i]);
    }
  }
  const extras = received.map((vector) => vector.subarray(dealt));
  return { random: sums.subarray(0, randomCount), zeros: sums.subarray(randomCount), extras };
}

/** Returns count jointly random field elements that every party learns. Two rounds. */
export async function jointRandomPublic(runtime: PartyRuntime, count: number): Promise<Uint32Array> {
  const { random } = await dealJointRandomness(runtime, count);
  return open(runtime, random);
}

/**
 * Creates count sharings of jointly random bits: square a random sharing r,
 * open r^2, and map r / sqrt(r^2) = +-1 to a bit (Damgard et al., 2006). Rare
 * zeros are discarded and redrawn. Three rounds per attempt.
 */
export async function randomBits(runtime: PartyRuntime, count: number): Promise<Uint32Array> {
  const bits = new Uint32Array(count);
  const half = inv(2);
  let filled = 0;

  while (filled < count) {
    const attempt = count - filled + 2;
    const { random } = await dealJointRandomness(runtime, attempt);
    const squares = await open(runtime, await multiply(runtime, random, random));

    for (let i = 0; i < attempt && filled < count; i++) {
      const root = squares[i] === 0 ? null : sqrt(squares[i]);
      if (root !== null) {
        const sign = mul(random[i], inv(root));
        bits[filled++] = mul(add(sign, 1), half);
      }
    }
  }
  return bits;
}

/** Returns 1 - bit for every shared bit (a local operation). */
export function complementBits(bits: Uint32Array): Uint32Array {
  const out = new Uint32Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    out[i] = sub(1, bits[i]);
  }
  return out;
}

function concat(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

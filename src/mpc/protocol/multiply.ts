import { add, mul, sub } from '../field/fast-field.js';
import { firstPoints, lagrangeCoefficients } from '../shamir/lagrange.js';
import { evaluate } from '../shamir/shamir.js';
import type { PartyRuntime } from '../runtime/party-runtime.js';

/**
 * Degree reduction by resharing (Gennaro, Rabin and Rabin, 1998): parties
 * 1..2t+1 each reshare their degree-2t share with a fresh degree-t polynomial,
 * and every party combines the 2t + 1 subshares it receives with the Lagrange
 * coefficients of the points 1..2t+1 at 0. One round; all values of one call
 * travel in one message per peer.
 */
export async function reduceDegree(runtime: PartyRuntime, local: Uint32Array): Promise<Uint32Array> {
  const { degree, party } = runtime;
  const dealers = 2 * degree + 1;
  const subshares = party <= dealers ? reshare(runtime, local) : null;
  const empty = new Uint32Array(0);

  const received = await runtime.exchange('multiply', (peer) => subshares?.[peer - 1] ?? empty);
  runtime.stats.multiplications += local.length;
  return recombine(received.slice(0, dealers), firstPoints(dealers), local.length);
}

function reshare(runtime: PartyRuntime, local: Uint32Array): Uint32Array[] {
  const { degree, parties } = runtime;
  const coefficients = runtime.random(local.length * degree);
  const subshares: Uint32Array[] = [];

  for (let peer = 1; peer <= parties; peer++) {
    const vector = new Uint32Array(local.length);
    for (let i = 0; i < local.length; i++) {
      vector[i] = evaluate(local[i], coefficients, i * degree, degree, peer);
    }
    subshares.push(vector);
  }
  return subshares;
}

function recombine(vectors: Uint32Array[], points: number[], length: number): Uint32Array {
  const lambda = lagrangeCoefficients(points, 0);
  const out = new Uint32Array(length);
  for (let j = 0; j < vectors.length; j++) {
    const vector = vectors[j];
    if (vector.length !== length) {
      throw new RangeError(`party ${points[j]} sent ${vector.length} subshares, expected ${length}`);
    }
    const coefficient = lambda[j];
    for (let i = 0; i < length; i++) {
      out[i] = add(out[i], mul(coefficient, vector[i]));
    }
  }
  return out;
}

/** Multiplies two sharings element by element in one round. */
export async function multiply(runtime: PartyRuntime, x: Uint32Array, y: Uint32Array): Promise<Uint32Array> {
  if (x.length !== y.length) {
    throw new RangeError(`operands have ${x.length} and ${y.length} elements; they must be equal`);
  }
  const local = new Uint32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    local[i] = mul(x[i], y[i]);
  }
  return reduceDegree(runtime, local);
}

/** One multiplexer batch: choice[j] picks values j * width .. j * width + width - 1. */
export interface Selection {
  choice: Uint32Array;
  /** Kept where the shared choice bit is 0. */
  base: Uint32Array;
  /** Taken where the shared choice bit is 1. */
  alternative: Uint32Array;
  width: number;
}

/**
 * Returns, for every selection, sharings of base + choice * (alternative - base).
 * All selections share one degree reduction, so they cost one round together.
 */
export async function select(runtime: PartyRuntime, selections: Selection[]): Promise<Uint32Array[]> {
  const total = selections.reduce((sum, s) => sum + s.base.length, 0);
  const local = new Uint32Array(total);
  let offset = 0;

  for (const { choice, base, alternative, width } of selections) {
    for (let j = 0; j < choice.length; j++) {
      for (let i = j * width; i < (j + 1) * width; i++) {
        local[offset + i] = mul(choice[j], sub(alternative[i], base[i]));
      }
    }
    offset += base.length;
  }

  const products = await reduceDegree(runtime, local);
  offset = 0;
  return selections.map(({ base }) => {
    const out = products.subarray(offset, offset + base.length);
    for (let i = 0; i < base.length; i++) {
      out[i] = add(out[i], base[i]);
    }
    offset += base.length;
    return out;
  });
}

import { add, sub } from '../field/fast-field.js';
import type { PartyRuntime } from '../runtime/party-runtime.js';
import { multiply } from './multiply.js';

/**
 * Comparison of bit-shared integers. A batch holds count values of width bits
 * each, flat: element j * width + i is bit i (weight 2^i) of value j. Every
 * function compares all values of a batch in the same rounds.
 *
 * a > b is a prefix computation from the most significant bit with the
 * associative operator (gt_H, eq_H) o (gt_L, eq_L) = (gt_H + eq_H gt_L, eq_H eq_L)
 * on (greater, equal) pairs of bit segments, evaluated as a balanced tree:
 * one round for the bitwise pairs gt_i = a_i (1 - b_i), eq_i = 1 - (a_i XOR b_i),
 * which need only the products a_i b_i, then ceil(log2 width) rounds of
 * combination with at most 2 products per combined pair. Against a public
 * constant the bitwise pairs are local, so only the combination rounds remain.
 */

interface Segments {
  gt: Uint32Array;
  eq: Uint32Array;
  /** Segments per value, the most significant first. */
  size: number;
}

/**
 * Returns sharings of [a_j > b_j] for the count value pairs of two batches.
 * Rounds: 1 + ceil(log2 width).
 */
export async function greaterThan(
  runtime: PartyRuntime,
  a: Uint32Array,
  b: Uint32Array,
  count: number,
  width: number,
): Promise<Uint32Array> {
  const products = await multiply(runtime, a, b);
  const gt = new Uint32Array(a.length);
  const eq = new Uint32Array(a.length);

  for (let j = 0; j < count; j++) {
    for (let i = 0; i < width; i++) {
      const bit = j * width + i;
      const segment = j * width + (width - 1 - i);
      const product = products[bit];
      gt[segment] = sub(a[bit], product);
      eq[segment] = add(sub(1, add(a[bit], b[bit])), add(product, product));
    }
  }
  return combineSegments(runtime, { gt, eq, size: width }, count);
}

/** Sharings of both strict comparisons of a shared batch against one public constant. */
export interface PublicComparison {
  /** [a_j > c] */
  above: Uint32Array;
  /** [a_j < c] */
  below: Uint32Array;
}

/**
 * Compares every value of a batch with the public constant whose bits are
 * constantBits (width of them, least significant first). Rounds: ceil(log2 width).
 */
export async function compareWithPublic(
  runtime: PartyRuntime,
  a: Uint32Array,
  constantBits: Uint32Array,
  count: number,
  width: number,
): Promise<PublicComparison> {
  const greater = bitwiseAgainstConstant(a, constantBits, count, width, false);
  const less = bitwiseAgainstConstant(a, constantBits, count, width, true);
  const joined: Segments = {
    gt: concat(greater.gt, less.gt),
    eq: concat(greater.eq, less.eq),
    size: width,
  };
  const results = await combineSegments(runtime, joined, 2 * count);
  return { above: results.slice(0, count), below: results.slice(count) };
}

/** Bitwise (greater, equal) pairs of a against a public constant; reversed compares c against a. */
function bitwiseAgainstConstant(
  a: Uint32Array,
  constantBits: Uint32Array,
  count: number,
  width: number,
  reversed: boolean,
): Segments {
  const gt = new Uint32Array(a.length);
  const eq = new Uint32Array(a.length);
  for (let j = 0; j < count; j++) {
    for (let i = 0; i < width; i++) {
      const bit = a[j * width + i];
      const segment = j * width + (width - 1 - i);
      const constant = constantBits[i];
      eq[segment] = constant === 1 ? bit : sub(1, bit);
      if (reversed) {
        gt[segment] = constant === 1 ? sub(1, bit) : 0;
      } else {
        gt[segment] = constant === 1 ? 0 : bit;
      }
    }
  }
  return { gt, eq, size: width };
}

/** Folds each value's segments pairwise until one (greater) result per value remains. */
async function combineSegments(runtime: PartyRuntime, segments: Segments, count: number): Promise<Uint32Array> {
  let current = segments;
  while (current.size > 1) {
    current = await combineOnce(runtime, current, count);
  }
  return current.gt;
}

async function combineOnce(runtime: PartyRuntime, current: Segments, count: number): Promise<Segments> {
  const { size } = current;
  const pairs = Math.floor(size / 2);
  const nextSize = Math.ceil(size / 2);
  const needEqual = nextSize > 1;
  const perValue = needEqual ? 2 * pairs : pairs;
  const x = new Uint32Array(count * perValue);
  const y = new Uint32Array(count * perValue);

  for (let j = 0; j < count; j++) {
    for (let p = 0; p < pairs; p++) {
      const high = j * size + 2 * p;
      const k = j * perValue + p;
      x[k] = current.eq[high];
      y[k] = current.gt[high + 1];
      if (needEqual) {
        x[k + pairs] = current.eq[high];
        y[k + pairs] = current.eq[high + 1];
      }
    }
  }
  const products = await multiply(runtime, x, y);
  return assembleNext(current, products, count, pairs, perValue, needEqual);
}

function assembleNext(
  current: Segments,
  products: Uint32Array,
  count: number,
  pairs: number,
  perValue: number,
  needEqual: boolean,
): Segments {
  const { size } = current;
  const nextSize = Math.ceil(size / 2);
  const gt = new Uint32Array(count * nextSize);
  const eq = new Uint32Array(count * nextSize);

  for (let j = 0; j < count; j++) {
    for (let p = 0; p < pairs; p++) {
      const high = j * size + 2 * p;
      gt[j * nextSize + p] = add(current.gt[high], products[j * perValue + p]);
      eq[j * nextSize + p] = needEqual ? products[j * perValue + pairs + p] : 0;
    }
    if (size % 2 === 1) {
      gt[j * nextSize + pairs] = current.gt[j * size + size - 1];
      eq[j * nextSize + pairs] = current.eq[j * size + size - 1];
    }
  }
  return { gt, eq, size: nextSize };
}

function concat(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

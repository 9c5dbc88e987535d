import { P, type RandomSource } from '../../src/mpc/index.js';

const MASK_26 = (1 << 26) - 1;

/**
 * Returns a deterministic RandomSource for tests: a mulberry32 generator whose
 * 32-bit words are masked to 26 bits, with the values at or above P skipped.
 * Not for production: its state is 32 bits.
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;

  const nextWord = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return (z ^ (z >>> 14)) >>> 0;
  };

  return (count) => {
    const out = new Uint32Array(count);
    for (let i = 0; i < count; i++) {
      let value = nextWord() & MASK_26;
      while (value >= P) {
        value = nextWord() & MASK_26;
      }
      out[i] = value;
    }
    return out;
  };
}

/** Returns a RandomSource that hands out the given values in order and fails when they run out. */
export function scriptedRandom(values: readonly number[]): RandomSource {
  let next = 0;
  return (count) => {
    if (next + count > values.length) {
      throw new Error(`scripted random source has ${values.length - next} values left, ${count} requested`);
    }
    const out = Uint32Array.from(values.slice(next, next + count));
    next += count;
    return out;
  };
}

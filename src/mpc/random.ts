import { P } from './field/prime.js';

const MASK_26 = (1 << 26) - 1;
const CHUNK_WORDS = 16384;

/** A source of uniformly random field elements; tests may pass a seeded one. */
export type RandomSource = (count: number) => Uint32Array;

/**
 * Draws count uniform elements of [0, P) from the platform's CSPRNG
 * (crypto.getRandomValues) by masking 32-bit words to 26 bits and rejecting
 * the 5 values at or above P.
 */
export const secureRandom: RandomSource = (count) => {
  const out = new Uint32Array(count);
  const word = new Uint32Array(1);

  for (let start = 0; start < count; start += CHUNK_WORDS) {
    crypto.getRandomValues(out.subarray(start, Math.min(count, start + CHUNK_WORDS)));
  }
  for (let i = 0; i < count; i++) {
    let value = out[i] & MASK_26;
    while (value >= P) {
      crypto.getRandomValues(word);
      value = word[0] & MASK_26;
    }
    out[i] = value;
  }
  return out;
};

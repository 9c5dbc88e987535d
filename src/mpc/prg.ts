import { chacha20 } from '@noble/ciphers/chacha.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { P } from './field/prime.js';

const MASK_26 = (1 << 26) - 1;

/**
 * Expands a public seed into count uniform field elements with ChaCha20 keyed
 * by SHA-256(label, seed). Every party derives the same elements from the
 * same opened seed; the label separates independent uses of one seed.
 * Words are masked to 26 bits and the values at or above P are skipped.
 */
export function expandSeed(seed: Uint32Array, label: string, count: number): Uint32Array {
  const key = deriveKey(seed, label);
  const out = new Uint32Array(count);
  let filled = 0;
  let counter = 0;

  while (filled < count) {
    const words = Math.max(64, count - filled + 16);
    const stream = chacha20(key, new Uint8Array(12), new Uint8Array(words * 4), undefined, counter);
    counter += Math.ceil((words * 4) / 64);
    const view = new Uint32Array(stream.buffer, stream.byteOffset, words);
    for (let i = 0; i < words && filled < count; i++) {
      const value = view[i] & MASK_26;
      if (value < P) {
        out[filled++] = value;
      }
    }
  }
  return out;
}

function deriveKey(seed: Uint32Array, label: string): Uint8Array {
  const labelBytes = new TextEncoder().encode(label);
  const input = new Uint8Array(labelBytes.length + 1 + seed.length * 4);
  input.set(labelBytes, 0);
  input.set(new Uint8Array(seed.buffer, seed.byteOffset, seed.byteLength), labelBytes.length + 1);
  return sha256(input);
}

/** Returns a permutation of 0..count-1 drawn by Fisher-Yates from the seed. */
export function permutationFromSeed(seed: Uint32Array, label: string, count: number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  const draws = expandSeed(seed, label, 2 * count);
  for (let i = count - 1; i > 0; i--) {
    // Two elements give a value below P^2 (about 2^52), so the modulo bias is below (i + 1) / P^2 < 2^-26.
    const wide = draws[2 * i] * P + draws[2 * i + 1];
    const j = wide % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

import { createCipheriv } from 'node:crypto';

import { sha256 } from '@noble/hashes/sha2.js';
import { P } from './field/prime.js';

const MASK_26 = (1 << 26) - 1;
const BLOCK_WORDS = 16;

/**
 * Expands a public seed into count uniform field elements with ChaCha20
 * (RFC 8439: 32-bit block counter from 0, zero nonce) keyed by
 * SHA-256(label, seed). Every party derives the same elements from the same
 * opened seed; the label separates independent uses of one seed. Words are
 * masked to 26 bits and the values at or above P are skipped.
 */
export function expandSeed(seed: Uint32Array, label: string, count: number): Uint32Array {
  const key = deriveKey(seed, label);
  const out = new Uint32Array(count);
  let filled = 0;
  let block = 0;

  while (filled < count) {
    const words = Math.max(64, count - filled + 16);
    const blocks = Math.ceil(words / BLOCK_WORDS);
    const stream = keystream(key, block, blocks);
    block += blocks;
    for (let i = 0; i < words && filled < count; i++) {
      const value = stream[i] & MASK_26;
      if (value < P) {
        out[filled++] = value;
      }
    }
  }
  return out;
}

/** Returns blocks * 16 words of the ChaCha20 keystream from block firstBlock on, by Node's native cipher. */
function keystream(key: Uint8Array, firstBlock: number, blocks: number): Uint32Array {
  // Node's chacha20 takes a 16-byte IV: the 32-bit block counter (little-endian), then the 96-bit nonce.
  const iv = new Uint8Array(16);
  new DataView(iv.buffer).setUint32(0, firstBlock, true);
  const bytes = createCipheriv('chacha20', key, iv).update(new Uint8Array(blocks * BLOCK_WORDS * 4));

  const words = new Uint32Array(blocks * BLOCK_WORDS);
  new Uint8Array(words.buffer).set(bytes);
  return words;
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

import { createCipheriv, type Cipher } from 'node:crypto';

import { sha256 } from '@noble/hashes/sha2.js';
import { P } from './field/prime.js';

const MASK_26 = (1 << 26) - 1;
/** Keystream words made per cipher call, so a long expansion never needs its whole stream in memory. */
const CHUNK_WORDS = 65_536;
const ZEROS = new Uint8Array(CHUNK_WORDS * 4);

/**
 * A stream of uniform field elements expanded from a public seed with
 * ChaCha20 (RFC 8439: block counter from 0, zero nonce) keyed by
 * SHA-256(label, seed). Every party derives the same elements from the same
 * opened seed; the label separates independent uses of one seed. Each
 * keystream word is masked to 26 bits, and the values at or above P are
 * skipped. Elements can be taken in parts: the parts joined equal one
 * expansion of their total count.
 */
export class SeedStream {
  private readonly cipher: Cipher;
  private readonly words = new Uint32Array(CHUNK_WORDS);
  private readonly bytes = new Uint8Array(this.words.buffer);
  private available = 0;
  private position = 0;

  constructor(seed: Uint32Array, label: string) {
    // Node's chacha20 takes a 16-byte IV: the 32-bit block counter (little-endian), then the 96-bit nonce.
    this.cipher = createCipheriv('chacha20', deriveKey(seed, label), new Uint8Array(16));
  }

  /** Returns the next count elements of the stream. */
  next(count: number): Uint32Array {
    const out = new Uint32Array(count);
    let filled = 0;
    while (filled < count) {
      if (this.position === this.available) {
        this.refill();
      }
      const value = this.words[this.position++] & MASK_26;
      if (value < P) {
        out[filled++] = value;
      }
    }
    return out;
  }

  private refill(): void {
    this.bytes.set(this.cipher.update(ZEROS));
    this.available = CHUNK_WORDS;
    this.position = 0;
  }
}

/** Returns the first count elements of the SeedStream of seed and label. */
export function expandSeed(seed: Uint32Array, label: string, count: number): Uint32Array {
  return new SeedStream(seed, label).next(count);
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

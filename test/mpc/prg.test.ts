import { chacha20 } from '@noble/ciphers/chacha.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { P } from '../../src/mpc/index.js';
import { expandSeed, permutationFromSeed, SeedStream } from '../../src/mpc/prg.js';

/** Computes the expansion directly from RFC 8439 ChaCha20 (@noble/ciphers), one block at a time. */
function referenceExpansion(seed: Uint32Array, label: string, count: number): number[] {
  const labelBytes = new TextEncoder().encode(label);
  const input = new Uint8Array(labelBytes.length + 1 + seed.byteLength);
  input.set(labelBytes, 0);
  input.set(new Uint8Array(seed.buffer, seed.byteOffset, seed.byteLength), labelBytes.length + 1);
  const key = sha256(input);

  const out: number[] = [];
  for (let block = 0; out.length < count; block++) {
    const bytes = chacha20(key, new Uint8Array(12), new Uint8Array(64), undefined, block);
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, 16);
    for (const word of words) {
      const value = word & ((1 << 26) - 1);
      if (value < P && out.length < count) {
        out.push(value);
      }
    }
  }
  return out;
}

describe('expandSeed', () => {
  const seed = Uint32Array.of(11, 22, 33, 44, 55);

  it.each([0, 1, 15, 16, 17, 64, 1000, 70_000])('matches RFC 8439 ChaCha20 for %i elements', (count) => {
    expect(Array.from(expandSeed(seed, 'test/label', count))).toEqual(referenceExpansion(seed, 'test/label', count));
  });

  it('gives other elements for another label or seed', () => {
    const base = expandSeed(seed, 'a', 32);
    expect(expandSeed(seed, 'b', 32)).not.toEqual(base);
    expect(expandSeed(Uint32Array.of(11, 22, 33, 44, 56), 'a', 32)).not.toEqual(base);
  });
});

describe('permutationFromSeed', () => {
  it('returns the same permutation of 0..count-1 for the same seed', () => {
    const seed = Uint32Array.of(1, 2, 3, 4, 5);
    const order = permutationFromSeed(seed, 'lottery', 50);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(permutationFromSeed(seed, 'lottery', 50)).toEqual(order);
  });
});

describe('SeedStream', () => {
  it('gives in parts what one expansion gives', () => {
    const seed = Uint32Array.of(9, 8, 7, 6, 5);
    const stream = new SeedStream(seed, 'parts');
    const parts = [1, 15, 70_000, 3, 100_000].map((count) => Array.from(stream.next(count)));
    expect(parts.flat()).toEqual(Array.from(expandSeed(seed, 'parts', 170_019)));
  });
});

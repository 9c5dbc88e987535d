import { createHash } from 'node:crypto';

import { nobleSha256Hex, sha256Hex } from '../../src/crypto/digest.js';

describe('sha256Hex', () => {
  it('matches noble and OpenSSL', () => {
    expect(sha256Hex).not.toBe(nobleSha256Hex);
    for (const length of [0, 1, 55, 56, 64, 1000, 1_500_000]) {
      const message = Uint8Array.from({ length }, (_, i) => (i * 131 + length) & 0xff);
      const expected = createHash('sha256').update(message).digest('hex');
      expect(sha256Hex(message)).toBe(expected);
      expect(nobleSha256Hex(message)).toBe(expected);
    }
  });

  it('hashes the abc test vector', () => {
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

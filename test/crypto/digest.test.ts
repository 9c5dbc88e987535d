import { createHash } from 'node:crypto';

import { canonicalDigestHex, canonicalMessage } from '../../src/crypto/canonical.js';
import { createSha256, nobleSha256 } from '../../src/crypto/digest.js';

const openSsl = (message: Uint8Array): string => createHash('sha256').update(message).digest('hex');

const sha256Hex = (message: Uint8Array): string => {
  const hash = createSha256();
  hash.update(message);
  return hash.hex();
};

describe('sha256', () => {
  it('matches noble and OpenSSL', () => {
    expect(createSha256).not.toBe(nobleSha256);
    for (const length of [0, 1, 55, 56, 64, 1000, 1_500_000]) {
      const message = Uint8Array.from({ length }, (_, i) => (i * 131 + length) & 0xff);
      const noble = nobleSha256();
      noble.update(message.subarray(0, length >> 1));
      noble.update(message.subarray(length >> 1));

      expect(sha256Hex(message)).toBe(openSsl(message));
      expect(noble.hex()).toBe(openSsl(message));
    }
  });

  it('hashes the abc test vector', () => {
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('canonicalDigestHex', () => {
  it('hashes the canonical message', () => {
    const long = 'x'.repeat(200_000);
    const values = [
      null,
      { a: 1 },
      Array.from({ length: 5_000 }, (_, i) => ({ bidderId: `b-${i}`, hashes: ['f'.repeat(64), 'é'.repeat(i % 50)] })),
      [long, 'after', new Uint8Array(70_000).fill(7), long.slice(1)],
    ];
    for (const value of values) {
      expect(canonicalDigestHex('sealbid/test/v1', value)).toBe(openSsl(canonicalMessage('sealbid/test/v1', value)));
    }
  });

  it('rejects what canonicalMessage rejects', () => {
    expect(() => canonicalDigestHex('Bad Domain', 1)).toThrow(/invalid domain label/);
    expect(() => canonicalDigestHex('sealbid/test/v1', [{ x: 0.5 }])).toThrow('cannot encode number 0.5 at $[0].x');
  });
});

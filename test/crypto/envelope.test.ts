import { envelopeHash, openEnvelope, sealEnvelope, type EnvelopeBinding } from '../../src/crypto/envelope.js';
import { fromBase64Url, toBase64Url } from '../../src/crypto/base64url.js';
import { generateSealingKeyPair } from '../../src/crypto/keys.js';

const binding: EnvelopeBinding = { auctionId: 'auction-1', bidderId: 'bidder-7', submissionId: 'sub-3', evaluator: 2 };
const shares = Uint32Array.from([1, 67108858, 0, 123456, 42, 7, 99, 1000]);

function flipByte(text: string, index: number): string {
  const bytes = fromBase64Url(text);
  bytes[index % bytes.length] ^= 0x01;
  return toBase64Url(bytes);
}

describe('sealEnvelope and openEnvelope', () => {
  const recipient = generateSealingKeyPair();

  it('round-trips a share vector', () => {
    const envelope = sealEnvelope(shares, recipient.publicKey, binding);
    expect(envelope.version).toBe(1);
    expect(Array.from(openEnvelope(envelope, recipient.secretKey, binding))).toEqual(Array.from(shares));
  });

  it('survives JSON transport', () => {
    const envelope = JSON.parse(JSON.stringify(sealEnvelope(shares, recipient.publicKey, binding)));
    expect(Array.from(openEnvelope(envelope, recipient.secretKey, binding))).toEqual(Array.from(shares));
  });

  it('uses a fresh ephemeral key and nonce', () => {
    const a = sealEnvelope(shares, recipient.publicKey, binding);
    const b = sealEnvelope(shares, recipient.publicKey, binding);
    expect(a.ephemeralPublicKey).not.toBe(b.ephemeralPublicKey);
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it('rejects every changed binding field', () => {
    const envelope = sealEnvelope(shares, recipient.publicKey, binding);
    const changes: Array<Partial<EnvelopeBinding>> = [
      { auctionId: 'auction-2' },
      { bidderId: 'bidder-8' },
      { submissionId: 'sub-4' },
      { evaluator: 3 },
    ];
    for (const change of changes) {
      expect(() => openEnvelope(envelope, recipient.secretKey, { ...binding, ...change })).toThrow(/failed authentication/);
    }
  });

  it('rejects tampering with each field', () => {
    const envelope = sealEnvelope(shares, recipient.publicKey, binding);
    for (const field of ['ephemeralPublicKey', 'nonce', 'ciphertext'] as const) {
      for (const index of [0, 5, 31]) {
        const tampered = { ...envelope, [field]: flipByte(envelope[field], index) };
        expect(() => openEnvelope(tampered, recipient.secretKey, binding)).toThrow(/failed authentication|invalid/);
      }
    }
  });

  it('rejects the wrong private key', () => {
    const envelope = sealEnvelope(shares, recipient.publicKey, binding);
    const other = generateSealingKeyPair();
    expect(() => openEnvelope(envelope, other.secretKey, binding)).toThrow(/failed authentication/);
  });

  it('rejects malformed envelopes with a named field', () => {
    const envelope = sealEnvelope(shares, recipient.publicKey, binding);
    const cases: Array<[unknown, RegExp]> = [
      [null, /must be an object/],
      [{ ...envelope, version: 2 }, /version 2, expected 1/],
      [{ ...envelope, nonce: undefined }, /nonce is missing/],
      [{ ...envelope, nonce: toBase64Url(new Uint8Array(8)) }, /nonce must be 12 bytes/],
      [{ ...envelope, ephemeralPublicKey: 'AAAA' }, /ephemeralPublicKey must be 32 bytes/],
      [{ ...envelope, ciphertext: 'a+b' }, /ciphertext is not valid base64url/],
      [{ ...envelope, extra: 1 }, /unknown field extra/],
    ];
    for (const [bad, message] of cases) {
      expect(() => openEnvelope(bad, recipient.secretKey, binding)).toThrow(message);
    }
  });

  it('checks the share count and field range', () => {
    const envelope = sealEnvelope(shares, recipient.publicKey, binding);
    expect(() => openEnvelope(envelope, recipient.secretKey, binding, { shares: 16 })).toThrow(/contains 8 shares, expected 16/);
    expect(() => openEnvelope(envelope, recipient.secretKey, binding, { modulus: 1000 })).toThrow(/outside the field/);
    expect(openEnvelope(envelope, recipient.secretKey, binding, { shares: 8, modulus: 67108859 })).toHaveLength(8);
  });

  it('keeps shares out of error messages', () => {
    const envelope = sealEnvelope(shares, recipient.publicKey, binding);
    try {
      openEnvelope(envelope, recipient.secretKey, binding, { modulus: 1000 });
      throw new Error('expected a failure');
    } catch (error) {
      expect((error as Error).message).not.toMatch(/67108858|123456/);
    }
  });

  it('rejects bad inputs when sealing', () => {
    expect(() => sealEnvelope(new Uint32Array(0), recipient.publicKey, binding)).toThrow(/1 to 64 elements/);
    expect(() => sealEnvelope(shares, new Uint8Array(31), binding)).toThrow(/32-byte/);
    expect(() => sealEnvelope(shares, new Uint8Array(32), binding)).toThrow(/low-order/);
    expect(() => sealEnvelope(shares, recipient.publicKey, { ...binding, bidderId: '' })).toThrow(/bidderId/);
    expect(() => sealEnvelope(shares, recipient.publicKey, { ...binding, evaluator: 0 })).toThrow(/evaluator/);
  });
});

describe('envelopeHash', () => {
  const recipient = generateSealingKeyPair();

  it('is stable across JSON key order', () => {
    const envelope = sealEnvelope(shares, recipient.publicKey, binding);
    const reordered = {
      ciphertext: envelope.ciphertext,
      nonce: envelope.nonce,
      ephemeralPublicKey: envelope.ephemeralPublicKey,
      version: 1,
    };
    expect(envelopeHash(reordered)).toBe(envelopeHash(envelope));
    expect(envelopeHash(envelope)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with every field', () => {
    const envelope = sealEnvelope(shares, recipient.publicKey, binding);
    const original = envelopeHash(envelope);
    for (const field of ['ephemeralPublicKey', 'nonce', 'ciphertext'] as const) {
      expect(envelopeHash({ ...envelope, [field]: flipByte(envelope[field], 3) })).not.toBe(original);
    }
  });
});

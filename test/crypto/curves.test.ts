import { ed25519, x25519 } from '@noble/curves/ed25519.js';

import { nativeCurves, nobleCurves, type CurveBackend } from '../../src/crypto/curves.js';
import { openEnvelope, sealEnvelope } from '../../src/crypto/envelope.js';
import { curves, generateSealingKeyPair, generateSigningKeyPair, useCurveBackend } from '../../src/crypto/index.js';

const native = nativeCurves();
const message = new TextEncoder().encode('sealbid curve backend test');

// Points of order 1 and 2 on Curve25519 (RFC 7748 lists the low-order points to reject).
const LOW_ORDER_POINTS = [new Uint8Array(32), Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 1 : 0))];

describe('native curve backend', () => {
  it('is available on this Node', () => {
    expect(native).not.toBeNull();
    expect(native?.name).toBe('node');
  });

  it('signs the same bytes as noble', () => {
    const keys = generateSigningKeyPair();
    const nativeSignature = native!.sign(message, keys.secretKey);
    const nobleSignature = nobleCurves.sign(message, keys.secretKey);
    expect(Array.from(nativeSignature)).toEqual(Array.from(nobleSignature));
  });

  it('verifies signatures across backends', () => {
    const keys = generateSigningKeyPair();
    expect(native!.verify(nobleCurves.sign(message, keys.secretKey), message, keys.publicKey)).toBe(true);
    expect(nobleCurves.verify(native!.sign(message, keys.secretKey), message, keys.publicKey)).toBe(true);
  });

  it('rejects altered signatures, messages and keys', () => {
    const keys = generateSigningKeyPair();
    const signature = native!.sign(message, keys.secretKey);
    const altered = signature.slice();
    altered[10] ^= 1;
    const otherMessage = message.slice();
    otherMessage[0] ^= 1;
    expect(native!.verify(altered, message, keys.publicKey)).toBe(false);
    expect(native!.verify(signature, otherMessage, keys.publicKey)).toBe(false);
    expect(native!.verify(signature, message, generateSigningKeyPair().publicKey)).toBe(false);
    expect(native!.verify(signature.subarray(1), message, keys.publicKey)).toBe(false);
    expect(native!.verify(signature, message, new Uint8Array(31))).toBe(false);
  });

  it('rejects a signature with a non-canonical S', () => {
    const keys = generateSigningKeyPair();
    const signature = native!.sign(message, keys.secretKey);
    // S + L satisfies the same equation, but RFC 8032 verification requires 0 <= S < L.
    const order = ed25519.Point.CURVE().n;
    let s = 0n;
    for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(signature[i]);
    let big = s + order;
    const forged = signature.slice();
    for (let i = 32; i < 64; i++) {
      forged[i] = Number(big & 0xffn);
      big >>= 8n;
    }
    expect(big).toBe(0n);
    expect(native!.verify(forged, message, keys.publicKey)).toBe(false);
    expect(nobleCurves.verify(forged, message, keys.publicKey)).toBe(false);
  });

  it('agrees on X25519 shared secrets with noble', () => {
    const alice = generateSealingKeyPair();
    const bob = generateSealingKeyPair();
    const nativeShared = native!.x25519SharedSecret(alice.secretKey, bob.publicKey);
    expect(Array.from(nativeShared)).toEqual(Array.from(x25519.getSharedSecret(bob.secretKey, alice.publicKey)));
    expect(Array.from(native!.x25519PublicKey(alice.secretKey))).toEqual(Array.from(alice.publicKey));
  });

  it('derives the ephemeral secret the recipient derives', () => {
    const recipient = generateSealingKeyPair();
    const { ephemeralPublicKey, sharedSecret } = native!.x25519Ephemeral(recipient.publicKey);
    const recipientShared = nobleCurves.x25519SharedSecret(recipient.secretKey, ephemeralPublicKey);
    expect(Array.from(sharedSecret)).toEqual(Array.from(recipientShared));
  });

  it('draws a fresh ephemeral key each time', () => {
    const recipient = generateSealingKeyPair();
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      const { ephemeralPublicKey, sharedSecret } = native!.x25519Ephemeral(recipient.publicKey);
      seen.add(Buffer.from(ephemeralPublicKey).toString('hex'));
      expect(Buffer.from(sharedSecret).equals(Buffer.from(nobleCurves.x25519SharedSecret(recipient.secretKey, ephemeralPublicKey)))).toBe(true);
    }
    expect(seen.size).toBe(2_000);
  });

  it('rejects low-order X25519 points', () => {
    const own = generateSealingKeyPair();
    for (const point of LOW_ORDER_POINTS) {
      expect(() => native!.x25519SharedSecret(own.secretKey, point)).toThrow();
      expect(() => native!.x25519Ephemeral(point)).toThrow();
      expect(() => nobleCurves.x25519SharedSecret(own.secretKey, point)).toThrow();
    }
  });

  it('re-imports a secret key array whose bytes changed', () => {
    const first = generateSigningKeyPair();
    const second = generateSigningKeyPair();
    const reused = first.secretKey.slice();
    expect(native!.verify(native!.sign(message, reused), message, first.publicKey)).toBe(true);
    reused.set(second.secretKey);
    expect(native!.verify(native!.sign(message, reused), message, second.publicKey)).toBe(true);
  });
});

describe('envelopes across curve backends', () => {
  const binding = { auctionId: 'a-1', bidderId: 'b-1', submissionId: 's-1', evaluator: 1 };
  let previous: CurveBackend;

  beforeEach(() => {
    previous = curves();
  });

  afterEach(() => {
    useCurveBackend(previous);
  });

  it.each([
    ['noble', 'node'],
    ['node', 'noble'],
  ])('opens with %s what %s sealed', (opener, sealer) => {
    const backends: Record<string, CurveBackend> = { noble: nobleCurves, node: native! };
    const recipient = generateSealingKeyPair();
    useCurveBackend(backends[sealer]);
    const envelope = sealEnvelope(Uint32Array.from([1, 0, 1]), recipient.publicKey, binding);
    useCurveBackend(backends[opener]);
    const shares = openEnvelope(envelope, recipient.secretKey, binding, { shares: 3, modulus: 67108859 });
    expect(Array.from(shares)).toEqual([1, 0, 1]);
  });
});

/**
 * The bidder's won-bit public key is part of the envelope's associated data
 * under amount-only disclosure, so a relay that swaps, adds or drops it makes
 * the envelope fail to open.
 */
import { envelopeAssociatedData, openEnvelope, sealEnvelope, type EnvelopeBinding } from '../../src/crypto/envelope.js';
import { toBase64Url } from '../../src/crypto/base64url.js';
import { generateSealingKeyPair } from '../../src/crypto/keys.js';

const binding: EnvelopeBinding = { auctionId: 'auction-1', bidderId: 'bidder-7', submissionId: 'sub-3', evaluator: 2 };
const shares = Uint32Array.from([1, 0, 1, 1]);
const recipient = generateSealingKeyPair();
const bidderKey = toBase64Url(generateSealingKeyPair().publicKey);
const orchestratorKey = toBase64Url(generateSealingKeyPair().publicKey);

describe('won-bit key binding', () => {
  test('opens with the bound key', () => {
    const envelope = sealEnvelope(shares, recipient.publicKey, { ...binding, wonBitKey: bidderKey });
    const opened = openEnvelope(envelope, recipient.secretKey, { ...binding, wonBitKey: bidderKey });
    expect(Array.from(opened)).toEqual([1, 0, 1, 1]);
  });

  test('rejects a swapped key', () => {
    const envelope = sealEnvelope(shares, recipient.publicKey, { ...binding, wonBitKey: bidderKey });
    expect(() => openEnvelope(envelope, recipient.secretKey, { ...binding, wonBitKey: orchestratorKey })).toThrow(/failed authentication/);
  });

  test('rejects a dropped key', () => {
    const envelope = sealEnvelope(shares, recipient.publicKey, { ...binding, wonBitKey: bidderKey });
    expect(() => openEnvelope(envelope, recipient.secretKey, binding)).toThrow(/failed authentication/);
    expect(() => openEnvelope(envelope, recipient.secretKey, { ...binding, wonBitKey: null })).toThrow(/failed authentication/);
  });

  test('rejects an added key', () => {
    const envelope = sealEnvelope(shares, recipient.publicKey, binding);
    expect(() => openEnvelope(envelope, recipient.secretKey, { ...binding, wonBitKey: orchestratorKey })).toThrow(/failed authentication/);
  });

  test('keeps the old encoding without a key', () => {
    const withoutField = envelopeAssociatedData(binding);
    expect(envelopeAssociatedData({ ...binding, wonBitKey: null })).toEqual(withoutField);
    expect(envelopeAssociatedData({ ...binding, wonBitKey: undefined })).toEqual(withoutField);
    expect(envelopeAssociatedData({ ...binding, wonBitKey: bidderKey })).not.toEqual(withoutField);
  });

  test('rejects a malformed key', () => {
    expect(() => envelopeAssociatedData({ ...binding, wonBitKey: '' })).toThrow(/wonBitKey must be a non-empty/);
    expect(() => envelopeAssociatedData({ ...binding, wonBitKey: 5 as unknown as string })).toThrow(/wonBitKey must be a non-empty/);
  });
});

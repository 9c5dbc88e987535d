/**
 * Envelopes: a bidder's share vector for one evaluator, sealed to that
 * evaluator's X25519 public key (see sealed-box.ts for the construction).
 *
 * The associated data binds the auction id, bidder id, submission id and
 * evaluator index, so the orchestrator that relays an envelope cannot move it
 * to another auction, bidder, submission or evaluator. Under amount-only
 * disclosure it also binds the bidder's won-bit public key, so an orchestrator
 * that swaps that key makes the envelope fail to open instead of receiving
 * the bidder's won bit. The plaintext is the vector of k field elements, each
 * as a 32-bit little-endian word.
 */
import { canonicalDigestHex, canonicalMessage } from './canonical.js';
import { openBox, parseSealedBox, sealBox, SealedBoxError, type SealedBox } from './sealed-box.js';

export { SealedBoxError as EnvelopeError } from './sealed-box.js';

const ENVELOPE_LABEL = 'sealbid/envelope/v1';
const ENVELOPE_AD_DOMAIN = 'sealbid/envelope-ad/v1';
const ENVELOPE_HASH_DOMAIN = 'sealbid/envelope-hash/v1';

/** Largest share vector an envelope may carry: one share per bit of a 64-bit bid. */
export const MAX_ENVELOPE_SHARES = 64;

/** Sealed share vector as JSON, every byte field unpadded base64url. */
export type Envelope = SealedBox;

/** The context an envelope is bound to. */
export interface EnvelopeBinding {
  auctionId: string;
  bidderId: string;
  submissionId: string;
  /** Evaluator index, 1 to n: the party whose public key sealed the envelope. */
  evaluator: number;
  /**
   * The bidder's X25519 won-bit public key (base64url) under amount-only
   * disclosure. Absent or null leaves it out of the associated data, which is
   * then byte for byte the encoding used before this field existed.
   */
  wonBitKey?: string | null;
}

/** Extra checks on the opened share vector. */
export interface OpenEnvelopeOptions {
  /** Expected number of shares (the auction's bid width k). */
  shares?: number;
  /** Every share must be below this field modulus. */
  modulus?: number;
}

/**
 * Seals one evaluator's share vector.
 * @throws SealedBoxError (exported as EnvelopeError) when the public key is invalid.
 * @throws TypeError when the binding or the share vector is malformed.
 */
export function sealEnvelope(shares: Uint32Array, recipientPublicKey: Uint8Array, binding: EnvelopeBinding): Envelope {
  if (!(shares instanceof Uint32Array) || shares.length === 0 || shares.length > MAX_ENVELOPE_SHARES) {
    throw new TypeError(`shares must be a Uint32Array of 1 to ${MAX_ENVELOPE_SHARES} elements`);
  }
  const plaintext = encodeShares(shares);
  const box = sealBox(plaintext, recipientPublicKey, ENVELOPE_LABEL, envelopeAssociatedData(binding));
  plaintext.fill(0);
  return box;
}

/**
 * Opens an envelope and returns the share vector.
 * @throws SealedBoxError (exported as EnvelopeError) when the envelope is
 *   malformed, was sealed for another binding or key, was altered, or the
 *   plaintext is not a valid share vector. The message never contains shares.
 */
export function openEnvelope(
  envelope: unknown,
  recipientPrivateKey: Uint8Array,
  binding: EnvelopeBinding,
  options: OpenEnvelopeOptions = {},
): Uint32Array {
  const plaintext = openBox(envelope, recipientPrivateKey, ENVELOPE_LABEL, envelopeAssociatedData(binding), 'envelope');
  try {
    return decodeShares(plaintext, options);
  } finally {
    plaintext.fill(0);
  }
}

/**
 * Computes the hex SHA-256 of an envelope's canonical encoding. Receipts name
 * envelopes by this hash.
 * @throws SealedBoxError (exported as EnvelopeError) when the envelope is malformed.
 */
export function envelopeHash(envelope: unknown): string {
  const bytes = parseSealedBox(envelope, 'envelope');
  return canonicalDigestHex(ENVELOPE_HASH_DOMAIN, {
    version: 1,
    ephemeralPublicKey: bytes.ephemeralPublicKey,
    nonce: bytes.nonce,
    ciphertext: bytes.ciphertext,
  });
}

/**
 * Builds the associated data for a binding.
 * @throws TypeError naming the field when the binding is malformed.
 */
export function envelopeAssociatedData(binding: EnvelopeBinding): Uint8Array {
  checkBinding(binding);
  const fields = {
    auctionId: binding.auctionId,
    bidderId: binding.bidderId,
    submissionId: binding.submissionId,
    evaluator: binding.evaluator,
  };
  const wonBitKey = binding.wonBitKey;
  return canonicalMessage(ENVELOPE_AD_DOMAIN, wonBitKey === undefined || wonBitKey === null ? fields : { ...fields, wonBitKey });
}

function checkBinding(binding: EnvelopeBinding): void {
  for (const field of ['auctionId', 'bidderId', 'submissionId'] as const) {
    const value: unknown = binding?.[field];
    if (typeof value !== 'string' || value.length === 0) {
      throw new TypeError(`envelope binding ${field} must be a non-empty string`);
    }
  }
  if (!Number.isInteger(binding.evaluator) || binding.evaluator < 1 || binding.evaluator > 255) {
    throw new TypeError(`envelope binding evaluator must be an integer from 1 to 255, got ${String(binding.evaluator)}`);
  }
  const wonBitKey: unknown = binding.wonBitKey;
  if (wonBitKey !== undefined && wonBitKey !== null && (typeof wonBitKey !== 'string' || wonBitKey.length === 0)) {
    throw new TypeError('envelope binding wonBitKey must be a non-empty base64url string, null or absent');
  }
}

function encodeShares(shares: Uint32Array): Uint8Array {
  const bytes = new Uint8Array(shares.length * 4);
  const view = new DataView(bytes.buffer);
  shares.forEach((share, index) => view.setUint32(4 * index, share, true));
  return bytes;
}

function decodeShares(plaintext: Uint8Array, options: OpenEnvelopeOptions): Uint32Array {
  if (plaintext.length === 0 || plaintext.length % 4 !== 0 || plaintext.length > 4 * MAX_ENVELOPE_SHARES) {
    throw new SealedBoxError(
      `envelope plaintext is malformed: expected 1 to ${MAX_ENVELOPE_SHARES} 32-bit shares, got ${plaintext.length} bytes`,
    );
  }
  const count = plaintext.length / 4;
  if (options.shares !== undefined && count !== options.shares) {
    throw new SealedBoxError(`envelope contains ${count} shares, expected ${options.shares} (the auction's bid width)`);
  }

  const view = new DataView(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength);
  const shares = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    shares[i] = view.getUint32(4 * i, true);
  }
  if (options.modulus !== undefined && shares.some((share) => share >= options.modulus!)) {
    shares.fill(0);
    throw new SealedBoxError(`envelope contains a share outside the field: every share must be below ${options.modulus}`);
  }
  return shares;
}

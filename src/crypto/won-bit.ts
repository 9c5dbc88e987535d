/**
 * Won-bit shares under the 'amount-only' disclosure policy: each evaluator
 * seals its Shamir share of a bidder's won bit to that bidder's X25519 public
 * key, so only the bidder can reconstruct whether it won. The construction is
 * the envelope's, with its own HKDF label and associated data.
 */
import { canonicalMessage } from './canonical.js';
import { openBox, sealBox, SealedBoxError, type SealedBox } from './sealed-box.js';

const WON_BIT_LABEL = 'sealbid/won-bit/v1';
const WON_BIT_AD_DOMAIN = 'sealbid/won-bit-ad/v1';

/** The context a won-bit share is bound to. */
export interface WonBitBinding {
  auctionId: string;
  runId: string;
  bidderId: string;
  submissionId: string;
  /** Index (1 to n) of the evaluator that owns the share. */
  evaluator: number;
}

/**
 * Seals one evaluator's share of a bidder's won bit to the bidder's public key.
 * @throws RangeError when the share is not a 32-bit unsigned integer.
 * @throws SealedBoxError when the bidder's public key is invalid.
 */
export function sealWonBit(share: number, bidderPublicKey: Uint8Array, binding: WonBitBinding): SealedBox {
  if (!Number.isInteger(share) || share < 0 || share > 0xffffffff) {
    throw new RangeError('won-bit share must be an unsigned 32-bit integer');
  }
  const plaintext = new Uint8Array(4);
  new DataView(plaintext.buffer).setUint32(0, share, true);
  const box = sealBox(plaintext, bidderPublicKey, WON_BIT_LABEL, wonBitAssociatedData(binding));
  plaintext.fill(0);
  return box;
}

/**
 * Opens a sealed won-bit share with the bidder's X25519 private key.
 * @throws SealedBoxError when the box is malformed, bound to another context or
 *   key, altered, or does not hold exactly one 32-bit share.
 */
export function openWonBit(box: unknown, bidderPrivateKey: Uint8Array, binding: WonBitBinding): number {
  const plaintext = openBox(box, bidderPrivateKey, WON_BIT_LABEL, wonBitAssociatedData(binding), 'won-bit share');
  if (plaintext.length !== 4) {
    throw new SealedBoxError(`won-bit share plaintext must be 4 bytes, got ${plaintext.length}`);
  }
  const share = new DataView(plaintext.buffer, plaintext.byteOffset, 4).getUint32(0, true);
  plaintext.fill(0);
  return share;
}

function wonBitAssociatedData(binding: WonBitBinding): Uint8Array {
  for (const field of ['auctionId', 'runId', 'bidderId', 'submissionId'] as const) {
    const value: unknown = binding?.[field];
    if (typeof value !== 'string' || value.length === 0) {
      throw new TypeError(`won-bit binding ${field} must be a non-empty string`);
    }
  }
  if (!Number.isInteger(binding.evaluator) || binding.evaluator < 1 || binding.evaluator > 255) {
    throw new TypeError(`won-bit binding evaluator must be an integer from 1 to 255, got ${String(binding.evaluator)}`);
  }
  return canonicalMessage(WON_BIT_AD_DOMAIN, { ...binding });
}

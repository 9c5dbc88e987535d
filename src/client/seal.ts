/** Sharing an amount and sealing one envelope per evaluator. */
import { envelopeHash, fromBase64Url, sealEnvelope, type Envelope } from '../crypto/index.js';
import { shareBid } from '../mpc/shamir/bid-sharing.js';
import type { EvaluatorSet } from './types.js';

/** One evaluator's envelope with the hash its receipt must name. */
export interface SealedEnvelope {
  evaluator: number;
  envelope: Envelope;
  hash: string;
}

/** The binding of a sealed amount: which auction, sender and submission it belongs to. */
export interface SealTarget {
  auctionId: string;
  bidderId: string;
  submissionId: string;
  bits: number;
  /** Under amount-only disclosure, the won-bit public key (base64url) that every envelope binds. */
  wonBitKey?: string | null;
}

/**
 * Shares an amount (minor units) bit by bit with degree t and seals party i's
 * share vector to evaluator i. The share vectors are wiped after sealing.
 * @throws RangeError for an amount outside [0, 2^bits) or invalid parameters.
 */
export function sealAmount(amount: bigint, target: SealTarget, set: EvaluatorSet): SealedEnvelope[] {
  const vectors = shareBid(amount, target.bits, { parties: set.parties, degree: set.degree });
  try {
    return set.evaluators.map((evaluator) => {
      const envelope = sealEnvelope(vectors[evaluator.party - 1], fromBase64Url(evaluator.sealingKey, 'sealing key'), {
        auctionId: target.auctionId,
        bidderId: target.bidderId,
        submissionId: target.submissionId,
        evaluator: evaluator.party,
        wonBitKey: target.wonBitKey ?? null,
      });
      return { evaluator: evaluator.party, envelope, hash: envelopeHash(envelope) };
    });
  } finally {
    for (const vector of vectors) {
      vector.fill(0);
    }
  }
}

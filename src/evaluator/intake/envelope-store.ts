/** The write of an accepted envelope with its receipt, as one SQL statement. */
import type { Envelope as SealedEnvelope, Receipt } from '../../crypto/index.js';
import type { PrismaClient } from '../generated/prisma/client.js';

/** An envelope that passed every intake check, with its signed receipt. */
export interface AcceptedEnvelope {
  auctionId: string;
  submissionId: string;
  bidderId: string;
  kind: 'bid' | 'reserve';
  envelope: SealedEnvelope;
  wonBitKey: string | null;
  receipt: Receipt;
  signature: string;
}

/**
 * Stores the envelope and its receipt and marks the sender's previous
 * envelope (for a reserve: the previous reserve) as replaced by it.
 *
 * The three writes are one statement, so they commit together without a
 * transaction's extra round trips, and the update cannot see the new row
 * because every part of a statement reads the same snapshot.
 * @throws the driver's unique-violation error when the submission id is taken.
 */
export async function insertEnvelope(client: PrismaClient, row: AcceptedEnvelope): Promise<void> {
  const { auctionId, submissionId, bidderId, kind, receipt } = row;
  await client.$executeRaw`
    WITH replaced AS (
      UPDATE envelopes SET replaced_by = ${submissionId}
      WHERE auction_id = ${auctionId} AND replaced_by IS NULL AND kind = ${kind}::"SubmissionKind"
        AND (${kind} = 'reserve' OR bidder_id = ${bidderId})
    ), stored AS (
      INSERT INTO envelopes (auction_id, submission_id, bidder_id, kind, sealed, hash, won_bit_key, received_at)
      VALUES (
        ${auctionId}, ${submissionId}, ${bidderId}, ${kind}::"SubmissionKind", ${JSON.stringify(row.envelope)}::jsonb,
        ${receipt.envelopeHash}, ${row.wonBitKey}, ${new Date(receipt.receivedAt)}
      )
      RETURNING auction_id, submission_id
    )
    INSERT INTO receipts (auction_id, submission_id, receipt, signature)
    SELECT auction_id, submission_id, ${JSON.stringify(receipt)}::jsonb, ${row.signature} FROM stored`;
}

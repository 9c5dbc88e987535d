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

/** The auction's closing time and rules as read by the intake checks of an envelope. */
export interface AuctionGuard {
  closesAt: Date;
  rules: unknown;
}

/**
 * Stores the envelope and its receipt and marks the sender's previous
 * envelope (for a reserve: the previous reserve) as replaced by it, but only
 * while the auction is open, its closing time and rules equal the guard's
 * and the receipt's time lies before that closing time. Returns false,
 * writing nothing, when one of these conditions fails.
 *
 * The writes are one statement, so they commit together without a
 * transaction's extra round trips, and the update cannot see the new row
 * because every part of a statement reads the same snapshot. The auction
 * row is locked FOR SHARE, so on a PostgreSQL server a concurrent update of
 * the auction and this insert run one after the other, and the insert
 * checks the latest committed row. The tests run on PGlite, which has a
 * single connection, so they do not exercise that case.
 * @throws the driver's unique-violation error when the submission id is taken.
 */
export async function insertEnvelope(client: PrismaClient, row: AcceptedEnvelope, guard: AuctionGuard): Promise<boolean> {
  const { auctionId, submissionId, bidderId, kind, receipt } = row;
  const receivedAt = new Date(receipt.receivedAt);
  const rows = await client.$queryRaw<Array<{ stored: number }>>`
    WITH auction AS (
      SELECT id FROM auctions
      WHERE id = ${auctionId} AND state = 'open' AND closes_at = ${guard.closesAt} AND closes_at > ${receivedAt}
        AND rules = ${JSON.stringify(guard.rules)}::jsonb
      FOR SHARE
    ), stored AS (
      INSERT INTO envelopes (auction_id, submission_id, bidder_id, kind, sealed, hash, won_bit_key, received_at)
      SELECT
        id, ${submissionId}, ${bidderId}, ${kind}::"SubmissionKind", ${JSON.stringify(row.envelope)}::jsonb,
        ${receipt.envelopeHash}, ${row.wonBitKey}, ${receivedAt}
      FROM auction
      RETURNING auction_id, submission_id
    ), replaced AS (
      UPDATE envelopes SET replaced_by = ${submissionId}
      WHERE auction_id = ${auctionId} AND replaced_by IS NULL AND kind = ${kind}::"SubmissionKind"
        AND (${kind} = 'reserve' OR bidder_id = ${bidderId})
        AND EXISTS (SELECT 1 FROM stored)
    ), signed AS (
      INSERT INTO receipts (auction_id, submission_id, receipt, signature)
      SELECT auction_id, submission_id, ${JSON.stringify(receipt)}::jsonb, ${row.signature} FROM stored
    )
    SELECT count(*)::int AS stored FROM stored`;
  return rows[0]?.stored === 1;
}

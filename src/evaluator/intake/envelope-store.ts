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
  /** The opened share vector; the intake keeps it once the envelope is stored and zeroes it otherwise. */
  shares: Uint32Array;
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

/** An accepted envelope with the guard its checks relied on. */
export interface GuardedEnvelope {
  accepted: AcceptedEnvelope;
  guard: AuctionGuard;
}

/**
 * Stores many accepted bid envelopes with one statement, each under the same
 * conditions as insertEnvelope, and returns the keys
 * (`auctionId/submissionId`) of those stored. An envelope whose guard fails
 * or whose submission id is taken is skipped, so the caller handles it on
 * its own. A reserve is skipped too, because finding an auction's previous
 * reserve has no index to use. Callers pass at most one envelope per bidder
 * of an auction, because the replacement step reads one snapshot and two
 * envelopes of a bidder would not replace each other.
 */
export async function insertEnvelopes(client: PrismaClient, rows: GuardedEnvelope[]): Promise<Set<string>> {
  if (rows.length === 0) {
    return new Set();
  }
  const items = JSON.stringify(rows.map(batchItem));
  const stored = await client.$queryRaw<Array<{ auctionId: string; submissionId: string }>>`
    WITH item AS (
      SELECT * FROM jsonb_to_recordset(${items}::jsonb) AS i(
        auction_id text, submission_id text, bidder_id text, kind text, sealed jsonb, hash text,
        won_bit_key text, received_at timestamptz, closes_at timestamptz, rules jsonb, receipt jsonb, signature text)
    ), admitted AS (
      SELECT item.* FROM item JOIN auctions a ON a.id = item.auction_id
      WHERE item.kind = 'bid' AND a.state = 'open' AND a.closes_at = item.closes_at AND a.closes_at > item.received_at AND a.rules = item.rules
      FOR SHARE OF a
    ), stored AS (
      INSERT INTO envelopes (auction_id, submission_id, bidder_id, kind, sealed, hash, won_bit_key, received_at)
      SELECT auction_id, submission_id, bidder_id, kind::"SubmissionKind", sealed, hash, won_bit_key, received_at FROM admitted
      ON CONFLICT DO NOTHING
      RETURNING auction_id, submission_id, bidder_id, kind
    ), replaced AS (
      UPDATE envelopes e SET replaced_by = s.submission_id
      FROM stored s
      WHERE e.auction_id = s.auction_id AND e.bidder_id = s.bidder_id AND e.kind = 'bid' AND e.replaced_by IS NULL
    ), signed AS (
      INSERT INTO receipts (auction_id, submission_id, receipt, signature)
      SELECT s.auction_id, s.submission_id, item.receipt, item.signature
      FROM stored s JOIN item USING (auction_id, submission_id)
    )
    SELECT auction_id AS "auctionId", submission_id AS "submissionId" FROM stored`;
  return new Set(stored.map((row) => batchKey(row.auctionId, row.submissionId)));
}

/** Names an envelope within a batch. */
export function batchKey(auctionId: string, submissionId: string): string {
  return `${auctionId}/${submissionId}`;
}

function batchItem({ accepted, guard }: GuardedEnvelope): Record<string, unknown> {
  return {
    auction_id: accepted.auctionId,
    submission_id: accepted.submissionId,
    bidder_id: accepted.bidderId,
    kind: accepted.kind,
    sealed: accepted.envelope,
    hash: accepted.receipt.envelopeHash,
    won_bit_key: accepted.wonBitKey,
    received_at: accepted.receipt.receivedAt,
    closes_at: guard.closesAt.toISOString(),
    rules: guard.rules,
    receipt: accepted.receipt,
    signature: accepted.signature,
  };
}

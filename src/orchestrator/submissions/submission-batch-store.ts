/**
 * The two writes of sealed submissions for a group of them at once, each as
 * one SQL statement with the same effect as the single-submission statements
 * of submission-store.ts applied in the given order. Callers pass at most one
 * submission per id, and for acceptances only bids, at most one per bidder of
 * an auction, because every part of a statement reads the same snapshot.
 */
import type { PrismaClient } from '../generated/prisma/client.js';
import { hashesInPartyOrder, type Acceptance, type AcceptanceOutcome, type PendingSubmission } from './submission-store.js';

/** Stores the submissions as pending and returns the ids stored; an id already taken is skipped. */
export async function insertPendingGroup(client: PrismaClient, submissions: PendingSubmission[]): Promise<Set<string>> {
  const items = JSON.stringify(
    submissions.map((submission) => ({
      id: submission.id,
      auction_id: submission.auctionId,
      bidder_id: submission.bidderId,
      kind: submission.kind,
      won_bit_key: submission.wonBitKey,
      envelope_hashes: hashesInPartyOrder(submission),
      envelopes: submission.envelopes.map((item) => ({ party: item.party, sealed: item.envelope, hash: item.hash })),
    })),
  );
  const rows = await client.$queryRaw<Array<{ id: string }>>`
    WITH item AS (
      SELECT * FROM jsonb_to_recordset(${items}::jsonb)
        AS i(id text, auction_id text, bidder_id text, kind text, won_bit_key text, envelope_hashes text[], envelopes jsonb)
    ), stored AS (
      INSERT INTO submissions (id, auction_id, bidder_id, kind, status, won_bit_key, envelope_hashes)
      SELECT id, auction_id, bidder_id, kind::"SubmissionKind", 'pending', won_bit_key, envelope_hashes FROM item
      ON CONFLICT (id) DO NOTHING
      RETURNING id
    ), sealed AS (
      INSERT INTO envelopes (submission_id, party, sealed, hash)
      SELECT stored.id, envelope.party, envelope.sealed, envelope.hash
      FROM stored JOIN item USING (id), jsonb_to_recordset(item.envelopes) AS envelope(party int, sealed jsonb, hash text)
    )
    SELECT id FROM stored`;
  return new Set(rows.map((row) => row.id));
}

/**
 * Accepts every bid whose auction is open, in the given order: marks each
 * bidder's previous accepted bid superseded, numbers the new ones after the
 * auction's last position, stores their receipts and updates each auction's
 * bid count. Returns one outcome per acceptance, in order. Callers hold the
 * lock of every auction involved and accept reserves with acceptSubmission:
 * finding an auction's previous reserve has no index to use.
 */
export async function acceptGroup(client: PrismaClient, acceptances: Acceptance[]): Promise<AcceptanceOutcome[]> {
  if (acceptances.some((acceptance) => acceptance.kind !== 'bid')) {
    throw new RangeError('acceptGroup accepts bids only; accept a reserve with acceptSubmission');
  }
  const acceptedAt = new Date().toISOString();
  const items = JSON.stringify(
    acceptances.map((acceptance, position) => ({
      position,
      auction_id: acceptance.auctionId,
      submission_id: acceptance.submissionId,
      kind: acceptance.kind,
      bidder_id: acceptance.bidderId,
      receipts: acceptance.receipts.map((signed) => ({ party: signed.receipt.evaluator, receipt: signed })),
    })),
  );
  const rows = await client.$queryRaw<Array<{ submissionId: string; state: string | null; replaced: string | null; sealedBids: number | null }>>`
    WITH item AS (
      SELECT * FROM jsonb_to_recordset(${items}::jsonb)
        AS i(position int, auction_id text, submission_id text, kind text, bidder_id text, receipts jsonb)
    ), admitted AS (
      SELECT item.* FROM item JOIN auctions a ON a.id = item.auction_id WHERE a.state = 'open'
    ), previous AS (
      UPDATE submissions s SET status = 'superseded'
      FROM admitted
      WHERE s.auction_id = admitted.auction_id AND s.bidder_id = admitted.bidder_id AND s.kind = 'bid' AND s.status = 'accepted'
      RETURNING s.id, admitted.submission_id AS replaced_by
    ), numbered AS (
      SELECT admitted.*, previous.id AS replaced,
        (SELECT COALESCE(MAX(sequence), 0) FROM submissions WHERE auction_id = admitted.auction_id)
          + row_number() OVER (PARTITION BY admitted.auction_id ORDER BY admitted.position) AS sequence
      FROM admitted LEFT JOIN previous ON previous.replaced_by = admitted.submission_id
    ), accepted AS (
      UPDATE submissions s SET status = 'accepted', accepted_at = ${acceptedAt}::timestamptz, sequence = numbered.sequence, replaces_id = numbered.replaced
      FROM numbered
      WHERE s.id = numbered.submission_id
      RETURNING s.id
    ), stored AS (
      INSERT INTO receipts (submission_id, party, receipt)
      SELECT numbered.submission_id, receipt.party, receipt.receipt
      FROM numbered JOIN accepted ON accepted.id = numbered.submission_id,
        jsonb_to_recordset(numbered.receipts) AS receipt(party int, receipt jsonb)
    ), change AS (
      SELECT numbered.auction_id,
        count(*) FILTER (WHERE numbered.replaced IS NULL AND NOT EXISTS (
          SELECT 1 FROM exclusions e WHERE e.auction_id = numbered.auction_id AND e.bidder_id = numbered.bidder_id)) AS bids
      FROM numbered JOIN accepted ON accepted.id = numbered.submission_id
      GROUP BY numbered.auction_id
    ), counted AS (
      UPDATE auctions a SET sealed_bids = a.sealed_bids + change.bids
      FROM change
      WHERE a.id = change.auction_id
      RETURNING a.id, a.sealed_bids
    )
    SELECT item.submission_id AS "submissionId", a.state::text AS state, numbered.replaced,
      COALESCE(counted.sealed_bids, a.sealed_bids) AS "sealedBids"
    FROM item
    LEFT JOIN auctions a ON a.id = item.auction_id
    LEFT JOIN numbered ON numbered.submission_id = item.submission_id
    LEFT JOIN counted ON counted.id = item.auction_id`;
  const byId = new Map(rows.map((row) => [row.submissionId, row]));
  return acceptances.map((acceptance) => outcomeOf(acceptance, byId.get(acceptance.submissionId)));
}

function outcomeOf(acceptance: Acceptance, row: { state: string | null; replaced: string | null; sealedBids: number | null } | undefined): AcceptanceOutcome {
  if (row?.state === null || row?.state === undefined || row.sealedBids === null) {
    throw new Error(`auction ${acceptance.auctionId} not found while accepting submission ${acceptance.submissionId}`);
  }
  return { auctionState: row.state, replaced: row.replaced, sealedBids: row.sealedBids };
}

/**
 * The two writes of every sealed submission, each as one SQL statement:
 * storing it as pending with its envelopes, and accepting it with its
 * receipts. PGlite runs each statement in about a millisecond, and a
 * transaction adds BEGIN, COMMIT and Prisma's read-backs, so one statement
 * per write keeps the submission path short. Each statement is atomic, and
 * all its parts read the same snapshot.
 */
import type { Envelope } from '../../crypto/index.js';
import type { SignedReceipt } from '../evaluators/evaluator-types.js';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';

/** A submission to store as pending. */
export interface PendingSubmission {
  id: string;
  auctionId: string;
  /** Null for the operator's sealed reserve. */
  bidderId: string | null;
  kind: 'bid' | 'reserve';
  wonBitKey: string | null;
  envelopes: Array<{ party: number; envelope: Envelope; hash: string }>;
}

/** Returns the submission's envelope hashes ordered by party, as the submission set lists them. */
export function hashesInPartyOrder(submission: PendingSubmission): string[] {
  return [...submission.envelopes].sort((a, b) => a.party - b.party).map((item) => item.hash);
}

/**
 * Stores the submission as pending with one envelope row per evaluator.
 * @throws Prisma.PrismaClientKnownRequestError for a taken id (see isUniqueViolation).
 */
export async function insertPending(client: PrismaClient, submission: PendingSubmission): Promise<void> {
  const envelopes = JSON.stringify(submission.envelopes.map((item) => ({ party: item.party, sealed: item.envelope, hash: item.hash })));
  await client.$executeRaw`
    WITH stored AS (
      INSERT INTO submissions (id, auction_id, bidder_id, kind, status, won_bit_key, envelope_hashes)
      VALUES (
        ${submission.id}, ${submission.auctionId}, ${submission.bidderId}, ${submission.kind}::"SubmissionKind", 'pending',
        ${submission.wonBitKey}, ${hashesInPartyOrder(submission)}::text[]
      )
      RETURNING id
    )
    INSERT INTO envelopes (submission_id, party, sealed, hash)
    SELECT stored.id, item.party, item.sealed, item.hash
    FROM stored, jsonb_to_recordset(${envelopes}::jsonb) AS item(party int, sealed jsonb, hash text)`;
}

/** A pending submission whose receipts all verified. */
export interface Acceptance {
  auctionId: string;
  submissionId: string;
  kind: 'bid' | 'reserve';
  /** The sender whose accepted submission of the same kind is superseded; ignored for a reserve. */
  bidderId: string;
  receipts: SignedReceipt[];
}

/** The auction's state when the statement ran, the id of the superseded submission and the bid count after it. */
export interface AcceptanceOutcome {
  auctionState: string;
  replaced: string | null;
  /** Sealed bids in force once the statement committed. */
  sealedBids: number;
}

/**
 * Accepts the submission if the auction is open: marks the sender's
 * previous accepted submission of the same kind superseded, gives this one
 * the next position in the acceptance order, stores its receipts and
 * updates the auction's counts. A first bid of a bidder who is not excluded
 * adds one to sealed_bids, and an amendment leaves it unchanged. Nothing
 * changes when the auction is in another state. Callers hold the auction's
 * lock, so no other acceptance can take the same position.
 */
export async function acceptSubmission(client: PrismaClient, acceptance: Acceptance): Promise<AcceptanceOutcome> {
  const { auctionId, submissionId, kind, bidderId } = acceptance;
  const receipts = JSON.stringify(acceptance.receipts.map((signed) => ({ party: signed.receipt.evaluator, receipt: signed })));
  const rows = await client.$queryRaw<Array<{ state: string | null; replaced: string | null; sealedBids: number }>>`
    WITH auction AS (
      SELECT state::text AS state FROM auctions WHERE id = ${auctionId}
    ), previous AS (
      UPDATE submissions SET status = 'superseded'
      WHERE auction_id = ${auctionId} AND kind = ${kind}::"SubmissionKind" AND status = 'accepted'
        AND (${kind} = 'reserve' OR bidder_id = ${bidderId})
        AND (SELECT state FROM auction) = 'open'
      RETURNING id
    ), accepted AS (
      UPDATE submissions SET
        status = 'accepted',
        accepted_at = ${new Date()},
        sequence = (SELECT COALESCE(MAX(sequence), 0) + 1 FROM submissions WHERE auction_id = ${auctionId}),
        replaces_id = (SELECT id FROM previous)
      WHERE id = ${submissionId} AND (SELECT state FROM auction) = 'open'
      RETURNING id
    ), stored AS (
      INSERT INTO receipts (submission_id, party, receipt)
      SELECT accepted.id, item.party, item.receipt
      FROM accepted, jsonb_to_recordset(${receipts}::jsonb) AS item(party int, receipt jsonb)
    ), counted AS (
      UPDATE auctions SET
        sealed_bids = sealed_bids + CASE
          WHEN ${kind} = 'bid' AND NOT EXISTS (SELECT 1 FROM previous)
            AND NOT EXISTS (SELECT 1 FROM exclusions WHERE auction_id = ${auctionId} AND bidder_id = ${bidderId})
          THEN 1 ELSE 0 END,
        sealed_reserves = CASE WHEN ${kind} = 'reserve' THEN 1 ELSE sealed_reserves END
      WHERE id = ${auctionId} AND EXISTS (SELECT 1 FROM accepted)
      RETURNING sealed_bids
    )
    SELECT
      (SELECT state FROM auction) AS state,
      (SELECT id FROM previous) AS replaced,
      COALESCE((SELECT sealed_bids FROM counted), (SELECT sealed_bids FROM auctions WHERE id = ${auctionId})) AS "sealedBids"`;
  const row = rows[0];
  if (row?.state === null || row?.state === undefined) {
    throw new Error(`auction ${auctionId} not found while accepting submission ${submissionId}`);
  }
  return { auctionState: row.state, replaced: row.replaced, sealedBids: row.sealedBids };
}

/** Tells whether an error from a Prisma model call or a raw statement is a unique-constraint violation. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) {
    return false;
  }
  if (error.code === 'P2002') {
    return true;
  }
  // Raw statements report P2010 with the driver's SQLSTATE; 23505 is unique_violation.
  const cause = (error.meta?.driverAdapterError as { cause?: { originalCode?: string } } | undefined)?.cause;
  return error.code === 'P2010' && cause?.originalCode === '23505';
}

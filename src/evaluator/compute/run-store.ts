/**
 * Run statements that each replace several Prisma model calls, so that a run
 * costs the embedded database few round trips. Every statement is atomic on
 * its own, so none needs a transaction around it.
 */
import type { ResultStatement } from '../../crypto/index.js';
import type { RunStats } from '../../mpc/index.js';
import type { PrismaClient, Run } from '../generated/prisma/client.js';
import type { AgreementSignature } from './agreement.service.js';
import type { SignedOpeningTranscript } from './run-evidence.js';
import type { SealedWonBit, StoredRun } from './run-view.js';

/** A run to insert, with what the caller checked of its auction. */
export interface NewRun {
  runId: string;
  auctionId: string;
  setHash: string;
  submissions: object;
  /** The auction's rules as the caller read them; the insert requires them unchanged. */
  rules: unknown;
  now: Date;
}

/**
 * Inserts a run in state agreeing if its auction is closed at `now`, not
 * cancelled, not erased, still has the given rules, and has no run agreeing
 * or computing. Returns null, inserting nothing, when a condition fails or
 * the run id exists; the caller then reads the rows to name the reason.
 */
export async function insertComputableRun(client: PrismaClient, run: NewRun): Promise<Run | null> {
  const { runId, auctionId, setHash, now } = run;
  const rows = await client.$queryRaw<Array<{ id: string }>>`
    INSERT INTO runs (id, auction_id, state, submissions, set_hash, started_at)
    SELECT ${runId}, id, 'agreeing', ${JSON.stringify(run.submissions)}::jsonb, ${setHash}, ${now}
    FROM auctions
    WHERE id = ${auctionId} AND state <> 'cancelled' AND erased_at IS NULL AND closes_at <= ${now}
      AND rules = ${JSON.stringify(run.rules)}::jsonb
      AND NOT EXISTS (SELECT 1 FROM runs WHERE auction_id = ${auctionId} AND state IN ('agreeing', 'computing'))
    ON CONFLICT (id) DO NOTHING
    RETURNING id`;
  if (rows.length === 0) {
    return null;
  }
  return {
    id: runId,
    auctionId,
    state: 'agreeing',
    submissions: run.submissions,
    setHash,
    errorCode: null,
    errorMessage: null,
    stats: null,
    openings: null,
    startedAt: now,
    finishedAt: null,
  };
}

/**
 * Stores the agreed submission set and moves the run to computing.
 * @throws the driver's error when the run does not exist or already has an agreement.
 */
export async function storeAgreement(client: PrismaClient, runId: string, setHash: string, signatures: AgreementSignature[]): Promise<void> {
  await client.$executeRaw`
    WITH agreed AS (
      INSERT INTO submission_set_agreements (run_id, set_hash, signatures, agreed_at)
      VALUES (${runId}, ${setHash}, ${JSON.stringify(signatures)}::jsonb, ${new Date()})
      RETURNING run_id
    )
    UPDATE runs SET state = 'computing' WHERE id IN (SELECT run_id FROM agreed)`;
}

/** The signed outcome of a run and what it leaves besides. */
export interface Completion {
  runId: string;
  auctionId: string;
  statement: ResultStatement;
  signature: string;
  wonBits: SealedWonBit[] | null;
  openings: SignedOpeningTranscript | null;
  stats: RunStats;
}

/** Stores the result, marks the run completed and an open auction settled, all in one statement. */
export async function storeCompletion(client: PrismaClient, completion: Completion): Promise<void> {
  const { runId, auctionId } = completion;
  const now = new Date();
  const wonBits = completion.wonBits === null ? null : JSON.stringify(completion.wonBits);
  const openings = completion.openings === null ? null : JSON.stringify(completion.openings);
  await client.$executeRaw`
    WITH result AS (
      INSERT INTO run_results (run_id, statement, signature, won_bits, created_at)
      VALUES (${runId}, ${JSON.stringify(completion.statement)}::jsonb, ${completion.signature}, ${wonBits}::jsonb, ${now})
    ), run AS (
      UPDATE runs SET state = 'completed', finished_at = ${now}, openings = ${openings}::jsonb, stats = ${JSON.stringify(completion.stats)}::jsonb
      WHERE id = ${runId}
    )
    UPDATE auctions SET state = 'settled', settled_at = ${now}, updated_at = ${now}
    WHERE id = ${auctionId} AND state = 'open'`;
}

/** A run row joined with its agreement and result columns, as one query returns it. */
interface JoinedRunRow extends Omit<Run, 'submissions'> {
  agreementSetHash: string | null;
  agreementSignatures: unknown;
  agreedAt: Date | null;
  resultStatement: unknown;
  resultSignature: string | null;
  resultWonBits: unknown;
  resultCreatedAt: Date | null;
}

/**
 * Reads the named run of the auction, or its latest run, with agreement and
 * result; null when there is none. The stored submissions are left out, because
 * the view does not show them and runs stored before the set size alone
 * replaced the list take about 330 bytes per bid.
 */
export async function readRun(client: PrismaClient, auctionId: string, runId: string | undefined): Promise<StoredRun | null> {
  const named = runId ?? null;
  const rows = await client.$queryRaw<JoinedRunRow[]>`
    SELECT r.id, r.auction_id AS "auctionId", r.state::text AS state, r.set_hash AS "setHash",
      r.error_code AS "errorCode", r.error_message AS "errorMessage", r.stats, r.openings,
      r.started_at AS "startedAt", r.finished_at AS "finishedAt",
      a.set_hash AS "agreementSetHash", a.signatures AS "agreementSignatures", a.agreed_at AS "agreedAt",
      x.statement AS "resultStatement", x.signature AS "resultSignature", x.won_bits AS "resultWonBits",
      x.created_at AS "resultCreatedAt"
    FROM runs r
      LEFT JOIN submission_set_agreements a ON a.run_id = r.id
      LEFT JOIN run_results x ON x.run_id = r.id
    WHERE r.auction_id = ${auctionId} AND (${named}::text IS NULL OR r.id = ${named}::text)
    ORDER BY r.started_at DESC
    LIMIT 1`;
  const row = rows[0];
  return row ? toStoredRun(row) : null;
}

function toStoredRun(row: JoinedRunRow): StoredRun {
  const { agreementSetHash, agreementSignatures, agreedAt, resultStatement, resultSignature, resultWonBits, resultCreatedAt, ...run } = row;
  const agreement =
    agreementSetHash === null
      ? null
      : { runId: run.id, setHash: agreementSetHash, signatures: agreementSignatures as object, agreedAt: agreedAt as Date };
  const result =
    resultSignature === null
      ? null
      : { runId: run.id, statement: resultStatement as object, signature: resultSignature, wonBits: resultWonBits as object | null, createdAt: resultCreatedAt as Date };
  return { ...run, agreement, result };
}

/** The REST view of a run. */
import type { ResultStatement } from '../../crypto/index.js';
import type { RunStats } from '../../mpc/index.js';
import type { Run, RunResult, SubmissionSetAgreement } from '../generated/prisma/client.js';
import type { AgreementSignature } from './agreement.service.js';
import type { SignedOpeningTranscript } from './run-evidence.js';

/** A won-bit share sealed to one bidder. */
export interface SealedWonBit {
  bidderId: string;
  submissionId: string;
  sealed: unknown;
}

export interface RunView {
  runId: string;
  state: Run['state'];
  submissionSetHash: string;
  agreement: { setHash: string; signatures: AgreementSignature[] } | null;
  result: { statement: ResultStatement; evaluator: number; signature: string } | null;
  wonBits: SealedWonBit[] | null;
  error: { code: string; message: string } | null;
  /** Signed digests of what this evaluator received in each opening; null when the run stopped before computing. */
  openings: SignedOpeningTranscript | null;
  /** This evaluator's protocol counters of a completed run: rounds, multiplications and bytes sent; null otherwise. */
  stats: RunStats | null;
}

/** A run row with its agreement and result rows, or null where they do not exist yet. */
export type StoredRun = Omit<Run, 'submissions'> & { agreement: SubmissionSetAgreement | null; result: RunResult | null };

/** Builds the view of a stored run. */
export function toRunView(run: StoredRun, evaluator: number): RunView {
  return {
    runId: run.id,
    state: run.state,
    submissionSetHash: run.setHash,
    agreement: run.agreement
      ? { setHash: run.agreement.setHash, signatures: run.agreement.signatures as unknown as AgreementSignature[] }
      : null,
    result: run.result
      ? { statement: run.result.statement as unknown as ResultStatement, evaluator, signature: run.result.signature }
      : null,
    wonBits: (run.result?.wonBits as unknown as SealedWonBit[] | null) ?? null,
    error: run.errorCode ? { code: run.errorCode, message: run.errorMessage ?? '' } : null,
    openings: (run.openings as unknown as SignedOpeningTranscript | null) ?? null,
    stats: (run.stats as unknown as RunStats | null) ?? null,
  };
}

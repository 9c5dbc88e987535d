/** Errors raised by the SDK. Messages never contain a bid amount, a share or a key. */
import type { ReceiptCheck } from './verify.js';

/** An HTTP error returned by the orchestrator, with its status and stable error code. */
export class SealbidApiError extends Error {
  override readonly name = 'SealbidApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The parsed error body, with extra fields such as the signed late receipts of a late bid. */
    readonly body: Record<string, unknown> | null = null,
  ) {
    super(message);
  }
}

/** A signature, receipt or key that did not verify: the response must not be trusted. */
export class VerificationError extends Error {
  override readonly name = 'VerificationError';
}

/** Receipts that did not all verify, with the check of each evaluator's receipt. Its name stays VerificationError. */
export class ReceiptVerificationError extends VerificationError {
  constructor(
    message: string,
    readonly checks: ReceiptCheck[],
  ) {
    super(message);
  }
}

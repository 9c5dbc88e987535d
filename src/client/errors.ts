/** Errors raised by the SDK. Messages never contain a bid amount, a share or a key. */

/** An HTTP error returned by the orchestrator, with its status and stable error code. */
export class SealbidApiError extends Error {
  override readonly name = 'SealbidApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A signature, receipt or key that did not verify: the response must not be trusted. */
export class VerificationError extends Error {
  override readonly name = 'VerificationError';
}

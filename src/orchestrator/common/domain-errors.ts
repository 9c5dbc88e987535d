/**
 * Errors that the orchestrator's services raise for expected failures. The
 * exception filter maps each class to one HTTP status. Clients see the
 * messages, so these never contain a token, a key or an envelope's contents.
 */

/** Base class: every domain error carries a stable code for clients. */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  /** Extra fields of the response body, such as signed late receipts. Never a secret. */
  details: Record<string, unknown> = {};

  /** Adds extra fields to the response body and returns this error. */
  withDetails(details: Record<string, unknown>): this {
    this.details = { ...this.details, ...details };
    return this;
  }
}

/** A request that is well-formed but invalid for this auction or its settings (400). */
export class InvalidRequestError extends DomainError {
  override readonly name = 'InvalidRequestError';
  readonly status = 400;
  readonly code = 'invalid-request';
}

/** Envelopes that the evaluators rejected as invalid: altered, bound elsewhere or of the wrong length (422). */
export class InvalidEnvelopeError extends DomainError {
  override readonly name = 'InvalidEnvelopeError';
  readonly status = 422;
  readonly code = 'invalid-envelope';
}

/** Missing or wrong operator key or bidder token (401). */
export class UnauthorizedError extends DomainError {
  override readonly name = 'UnauthorizedError';
  readonly status = 401;
  readonly code = 'unauthorized';
}

/** An authenticated caller that may not do this (403), such as an excluded bidder. */
export class ForbiddenError extends DomainError {
  override readonly name = 'ForbiddenError';
  readonly status = 403;
  readonly code = 'forbidden';
}

/** An auction, bidder or result that does not exist (404). */
export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError';
  readonly status = 404;
  readonly code = 'not-found';
}

/** A request that the auction's current state does not allow (409). */
export class StateConflictError extends DomainError {
  override readonly name = 'StateConflictError';
  readonly status = 409;
  readonly code = 'state-conflict';
}

/** An evaluator that rejected a request or could not be reached (502). */
export class EvaluatorFailureError extends DomainError {
  override readonly name = 'EvaluatorFailureError';
  readonly status = 502;
  readonly code = 'evaluator-failure';

  constructor(
    readonly party: number,
    message: string,
  ) {
    super(message);
  }
}

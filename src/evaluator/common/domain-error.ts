/**
 * Domain errors of the evaluator. Services throw them; the exception filter
 * turns each into an HTTP response with a stable error code.
 */

/** An error with a stable code and the HTTP status it maps to. */
export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra fields of the response body, such as a signed late receipt. Never a secret. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Creates a 404 error. */
export const notFound = (code: string, message: string): DomainError => new DomainError(404, code, message);

/** Creates a 409 error, with optional extra body fields. */
export const conflict = (code: string, message: string, details?: Record<string, unknown>): DomainError =>
  new DomainError(409, code, message, details);

/** Creates a 400 error. */
export const badRequest = (code: string, message: string): DomainError => new DomainError(400, code, message);

/** Creates a 422 error. */
export const unprocessable = (code: string, message: string): DomainError => new DomainError(422, code, message);

import type { HttpException } from '@nestjs/common';

/**
 * Returns the message for a request body that Express's JSON parser
 * rejected, or null for any other exception. The parser's strict mode takes
 * only objects and arrays, and its own text names only a token, such as
 * "Unexpected token 'n'" for the valid JSON null. So the message names what
 * the API takes.
 */
export function jsonBodyProblem(exception: HttpException): string | null {
  const cause = exception.cause;
  if (!(cause instanceof SyntaxError) || (cause as SyntaxError & { type?: unknown }).type !== 'entity.parse.failed') {
    return null;
  }
  return `the request body is not a JSON object or array (${cause.message}); send JSON with content-type application/json`;
}

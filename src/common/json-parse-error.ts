import type { HttpException } from '@nestjs/common';

/**
 * Returns the message for a request body that Express's JSON parser
 * rejected, or null for any other exception. The parser's own text names
 * only a token ("Unexpected token 'n', "null" is not valid JSON" also for
 * the valid JSON null, which the parser's strict mode rejects because it is
 * no object), so the message says what the API takes.
 */
export function jsonBodyProblem(exception: HttpException): string | null {
  const cause = exception.cause as { type?: unknown; message?: unknown } | undefined;
  if (!(cause instanceof SyntaxError) || (cause as { type?: unknown }).type !== 'entity.parse.failed') {
    return null;
  }
  return `the request body is not a JSON object or array (${cause.message}); send JSON with content-type application/json`;
}

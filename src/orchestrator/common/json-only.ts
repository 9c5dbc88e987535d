/** The parts of Express's request and response that the check uses. */
interface BodyRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
}
interface JsonResponse {
  status(code: number): { json(body: unknown): void };
}

/**
 * Express middleware that rejects a request body of any content type other
 * than JSON with 415. Without it a form-encoded body would be parsed and
 * accepted, and a text/plain body read as empty, so that validation would
 * report missing fields instead of the content type.
 */
export function requireJsonBodies(request: BodyRequest, response: JsonResponse, next: () => void): void {
  const type = String(request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (!hasBody(request) || type === 'application/json' || type.endsWith('+json')) {
    next();
    return;
  }
  const named = type === '' ? 'no content-type' : `content-type ${type}`;
  response.status(415).json({
    statusCode: 415,
    error: 'unsupported-media-type',
    message: `the request body has ${named}; send JSON with content-type application/json`,
  });
}

function hasBody(request: BodyRequest): boolean {
  const length = Number(request.headers['content-length'] ?? 0);
  return request.headers['transfer-encoding'] !== undefined || length > 0;
}

/** JSON over HTTP with a deadline, for calls from the orchestrator to an evaluator. */

/** Error for a failed evaluator request; the message names the method, path and cause. */
export class EvaluatorRequestError extends Error {
  override readonly name = 'EvaluatorRequestError';

  constructor(
    message: string,
    /** HTTP status, or null when no response arrived. */
    readonly status: number | null,
    /** The evaluator's stable error code, such as "auction-not-closed", when its body has one. */
    readonly code: string | null = null,
    /** The parsed error body, such as a signed late receipt, or null when it was not JSON. */
    readonly body: Record<string, unknown> | null = null,
  ) {
    super(message);
  }

  /** Returns whether repeating the request later may succeed: no response, a server error, or a wait-and-retry conflict. */
  get retryable(): boolean {
    if (this.status === null || this.status >= 500 || this.status === 429) {
      return true;
    }
    return this.status === 409 && (this.code === 'auction-not-closed' || this.code === 'run-in-progress');
  }
}

/** One request: method, URL, optional JSON body and a deadline in milliseconds. */
export interface JsonRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
  timeoutMs: number;
  headers?: Record<string, string>;
}

const MAX_DETAIL_LENGTH = 300;

/**
 * Sends a request and parses the JSON response.
 * @throws EvaluatorRequestError when the request times out, the connection
 *   fails, the status is not 2xx or the body is not JSON.
 */
export async function requestJson<T>(request: JsonRequest): Promise<T> {
  const target = `${request.method} ${new URL(request.url).pathname}`;
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: { accept: 'application/json', ...(request.body === undefined ? {} : { 'content-type': 'application/json' }), ...request.headers },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error) {
    const cause = (error as Error).name === 'TimeoutError' ? `timed out after ${request.timeoutMs} ms` : describeCause(error);
    throw new EvaluatorRequestError(`${target} failed: ${cause}`, null);
  }

  const text = await response.text();
  if (!response.ok) {
    const { message, code, body } = errorDetail(text);
    throw new EvaluatorRequestError(`${target} failed with HTTP ${response.status}: ${message}`, response.status, code, body);
  }
  try {
    return (text === '' ? null : JSON.parse(text)) as T;
  } catch {
    throw new EvaluatorRequestError(`${target} returned a body that is not JSON`, response.status);
  }
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

// Evaluators return {message} bodies without secrets; the length cap keeps a stray HTML page out of logs.
function errorDetail(text: string): { message: string; code: string | null; body: Record<string, unknown> | null } {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    const message = Array.isArray(body.message) ? body.message.join('; ') : String(body.message ?? text);
    const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : null;
    return { message: message.slice(0, MAX_DETAIL_LENGTH), code: typeof body.error === 'string' ? body.error : null, body: record };
  } catch {
    return { message: text.slice(0, MAX_DETAIL_LENGTH) || 'empty body', code: null, body: null };
  }
}

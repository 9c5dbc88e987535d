/** JSON over HTTP with a deadline, for calls from the orchestrator to an evaluator. */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

import { requestError, retryStaleConnection } from '../../client/node-http.js';

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

/** A request body already serialized as JSON, such as one sent to several evaluators, encoded once. */
export class JsonText {
  private encoded: Buffer | null = null;

  constructor(readonly text: string) {}

  /** The UTF-8 bytes of the text. */
  get bytes(): Buffer {
    this.encoded ??= Buffer.from(this.text, 'utf8');
    return this.encoded;
  }
}

/** One request: method, URL, optional JSON body and a deadline in milliseconds. */
export interface JsonRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
  timeoutMs: number;
  headers?: Record<string, string>;
  /** Called once when the whole body has been handed to the operating system, and at the latest when the request settles. */
  onBodySent?: () => void;
}

const MAX_DETAIL_LENGTH = 300;

/**
 * Sends a request and parses the JSON response.
 * @throws EvaluatorRequestError when the request times out, the connection
 *   fails, the status is not 2xx or the body is not JSON.
 */
export async function requestJson<T>(request: JsonRequest): Promise<T> {
  const target = `${request.method} ${new URL(request.url).pathname}`;
  let response: { status: number; text: string };
  const onBodySent = once(request.onBodySent ?? (() => undefined));
  try {
    response = await send({ ...request, onBodySent });
  } catch (error) {
    onBodySent();
    const cause = isTimeout(error) ? `timed out after ${request.timeoutMs} ms` : describeCause(error);
    throw new EvaluatorRequestError(`${target} failed: ${cause}`, null);
  }

  onBodySent();
  const text = response.text;
  if (response.status < 200 || response.status > 299) {
    const { message, code, body } = errorDetail(text);
    throw new EvaluatorRequestError(`${target} failed with HTTP ${response.status}: ${message}`, response.status, code, body);
  }
  try {
    return (text === '' ? null : JSON.parse(text)) as T;
  } catch {
    throw new EvaluatorRequestError(`${target} returned a body that is not JSON`, response.status);
  }
}

// node:http with kept-alive connections costs a fraction of the CPU of fetch per call
// (0.2 against 0.7 ms per loopback request measured on this project's machine), and the
// orchestrator makes three calls per bid.
// An idle kept-alive socket is closed by the client after FREE_SOCKET_TIMEOUT_MS, before Node's
// server default of 5 s closes it, so a call rarely lands on a socket the evaluator is closing.
const FREE_SOCKET_TIMEOUT_MS = 4_000;
const agentOptions = { keepAlive: true, timeout: FREE_SOCKET_TIMEOUT_MS };
const agents = { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) };

// A kept-alive connection that the evaluator closed as idle just as it was reused fails with
// ECONNRESET before the evaluator read anything. Every evaluator call is idempotent (the same
// envelope, run or registration again gets the same answer), so that case is sent once more.
function send(request: JsonRequest): Promise<{ status: number; text: string }> {
  return retryStaleConnection(() => sendOnce(request), true);
}

function sendOnce(request: JsonRequest): Promise<{ status: number; text: string }> {
  const url = new URL(request.url);
  const body = request.body === undefined || request.body instanceof JsonText ? request.body?.bytes : JSON.stringify(request.body);
  const headers: Record<string, string | number> = { accept: 'application/json', ...request.headers };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(body);
  }
  const secure = url.protocol === 'https:';
  const options = { method: request.method, headers, agent: secure ? agents.https : agents.http, signal: AbortSignal.timeout(request.timeoutMs) };

  return new Promise((resolve, reject) => {
    const onResponse = (response: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    };
    const outgoing = secure ? httpsRequest(url, options, onResponse) : httpRequest(url, options, onResponse);
    if (request.onBodySent !== undefined) {
      outgoing.once('finish', request.onBodySent);
      outgoing.once('close', request.onBodySent);
    }
    outgoing.on('error', (error: Error & { code?: string }) => reject(requestError(outgoing, error)));
    outgoing.end(body);
  });
}

function once(callback: () => void): () => void {
  let called = false;
  return () => {
    if (!called) {
      called = true;
      callback();
    }
  };
}

function isTimeout(error: unknown): boolean {
  const { name, cause } = error as { name?: string; cause?: { name?: string } };
  return name === 'TimeoutError' || cause?.name === 'TimeoutError';
}

function describeCause(error: unknown): string {
  const { code, cause, message } = error as { code?: string; cause?: { code?: string; message?: string }; message?: string };
  return code ?? cause?.code ?? cause?.message ?? message ?? String(error);
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

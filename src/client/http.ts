/** JSON over fetch for the SDK; works in browsers and in Node 18 or later. */
import { SealbidApiError } from './errors.js';

/** The fetch function the SDK uses; pass one to add timeouts, proxies or test doubles. */
export type FetchFunction = (input: string, init?: RequestInit) => Promise<Response>;

/** Sends JSON requests to the orchestrator's /v1 API with fixed headers. */
export class ApiTransport {
  private readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly headers: Record<string, string> = {},
    private readonly fetchFunction: FetchFunction = (input, init) => globalThis.fetch(input, init),
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /**
   * Sends a request and returns the parsed JSON body (undefined for 204).
   * @throws SealbidApiError for a non-2xx status or a failed connection (status 0).
   */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await this.fetchFunction(`${this.baseUrl}/v1${path}`, {
        method,
        headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...this.headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new SealbidApiError(0, 'connection-failed', `${method} ${path} failed: cannot reach ${this.baseUrl} (${(error as Error).message})`);
    }

    const text = await response.text();
    const parsed = parseJson(text);
    if (!response.ok) {
      const detail = parsed as { error?: string; message?: string | string[] } | undefined;
      const message = Array.isArray(detail?.message) ? detail.message.join('; ') : (detail?.message ?? text.slice(0, 300));
      const body = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
      throw new SealbidApiError(response.status, detail?.error ?? 'http-error', `${method} ${path} failed with HTTP ${response.status}: ${message}`, body);
    }
    return parsed as T;
  }
}

function parseJson(text: string): unknown {
  if (text === '') {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

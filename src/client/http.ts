/**
 * JSON over HTTP for the SDK. Node processes send through Node's http module
 * with kept-alive connections. Browsers and other runtimes use fetch.
 */
import { SealbidApiError } from './errors.js';
import { nodeHttpExchange, type HttpExchange, type HttpResponse } from './node-http.js';

/** The fetch function the SDK uses; pass one to add timeouts, proxies or test doubles. */
export type FetchFunction = (input: string, init?: RequestInit) => Promise<Response>;

/** Sends JSON requests to the orchestrator's /v1 API with fixed headers. */
export class ApiTransport {
  private readonly baseUrl: string;
  private readonly exchange: HttpExchange;

  /** @param fetchFunction when given, every request goes through it in place of the runtime's default. */
  constructor(
    baseUrl: string,
    private readonly headers: Record<string, string> = {},
    fetchFunction?: FetchFunction,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.exchange = fetchFunction === undefined ? (nodeHttpExchange() ?? fetchExchange((input, init) => globalThis.fetch(input, init))) : fetchExchange(fetchFunction);
  }

  /**
   * Sends a request and returns the parsed JSON body (undefined for 204).
   * @throws SealbidApiError for a non-2xx status or a failed connection (status 0).
   */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: HttpResponse;
    try {
      response = await this.exchange({
        method,
        url: `${this.baseUrl}/v1${path}`,
        headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...this.headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new SealbidApiError(0, 'connection-failed', `${method} ${path} failed: cannot reach ${this.baseUrl} (${(error as Error).message.trim()})`);
    }

    if (response.location !== undefined) {
      const target = response.location === '' ? 'an address the browser does not reveal' : response.location;
      const message = `${method} ${path} failed: the server redirects (HTTP ${response.status}) to ${target}; set the base URL to the server's current address`;
      throw new SealbidApiError(response.status, 'redirect', message);
    }
    const text = response.text;
    const parsed = parseJson(text);
    if (response.status < 200 || response.status > 299) {
      const detail = parsed as { error?: string; message?: string | string[] } | undefined;
      const message = Array.isArray(detail?.message) ? detail.message.join('; ') : (detail?.message ?? text.slice(0, 300));
      const body = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
      throw new SealbidApiError(response.status, detail?.error ?? 'http-error', `${method} ${path} failed with HTTP ${response.status}: ${message}`, body);
    }
    return parsed as T;
  }
}

// Redirects are not followed, as on the node:http path: a sealed bid and its bearer token go only to the base URL.
function fetchExchange(fetchFunction: FetchFunction): HttpExchange {
  return async ({ method, url, headers, body }) => {
    const response = await fetchFunction(url, { method, headers, body, redirect: 'manual' });
    // A browser hides a redirect's status and Location behind an opaque response.
    if (response.type === 'opaqueredirect') {
      return { status: response.status, text: '', location: '' };
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      return { status: response.status, text: await response.text(), location: new URL(location, url).href };
    }
    return { status: response.status, text: await response.text() };
  };
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

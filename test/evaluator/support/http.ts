/** A small JSON client for the evaluator REST API in tests. */
import { TOKEN } from './cluster.js';

export interface JsonResponse<T = any> {
  status: number;
  body: T;
}

/** Sends a request with the orchestrator token unless `token` is null. */
export async function request<T = any>(
  method: string,
  url: string,
  body?: unknown,
  token: string | null = TOKEN,
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = {};
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  if (token !== null) {
    headers.authorization = `Bearer ${token}`;
  }
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Polls the result route until the run reaches a final state. */
export async function waitForRun(baseUrl: string, auctionId: string, runId: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { status, body } = await request('GET', `${baseUrl}/v1/auctions/${auctionId}/result?runId=${runId}`);
    if (status !== 200) {
      throw new Error(`result of ${runId} at ${baseUrl} returned ${status}: ${JSON.stringify(body)}`);
    }
    if (body.state === 'completed' || body.state === 'failed') {
      return body;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`run ${runId} at ${baseUrl} did not finish within ${timeoutMs} ms`);
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { EvaluatorRequestError, JsonText, requestJson } from '../../src/orchestrator/evaluators/http-json.js';

let server: Server;
let base: string;
const seen: Array<{ method: string; url: string; body: string; headers: IncomingMessage['headers'] }> = [];
const served = new WeakSet<object>();
let dropped = false;

function reply(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(body);
}

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', body, headers: request.headers });
      const reused = served.has(request.socket);
      served.add(request.socket);
      if (request.url === '/ok') return reply(response, 200, JSON.stringify({ echo: body === '' ? null : JSON.parse(body) }));
      if (request.url === '/empty') return reply(response, 204, '');
      if (request.url === '/conflict') return reply(response, 409, JSON.stringify({ error: 'auction-closed', message: 'closed', receipt: { onTime: false } }));
      if (request.url === '/html') return reply(response, 200, '<html>');
      if (request.url === '/drop-reused' && reused && !dropped) {
        dropped = true;
        return request.socket.destroy();
      }
      if (request.url === '/drop-reused') return reply(response, 200, JSON.stringify({ attempt: 'fresh' }));
      // Any other path never answers, so the request times out.
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function failure(promise: Promise<unknown>): Promise<EvaluatorRequestError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(EvaluatorRequestError);
  return error as EvaluatorRequestError;
}

describe('evaluator JSON requests', () => {
  it('sends the body and headers and parses the answer', async () => {
    const answer = await requestJson<{ echo: unknown }>({ method: 'POST', url: `${base}/ok`, body: { a: [1, 'é'] }, timeoutMs: 2000, headers: { authorization: 'Bearer t' } });

    expect(answer).toEqual({ echo: { a: [1, 'é'] } });
    const request = seen.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers.authorization).toBe('Bearer t');
    expect(Number(request.headers['content-length'])).toBe(Buffer.byteLength(request.body));
  });

  it('returns null for an empty body', async () => {
    await expect(requestJson({ method: 'GET', url: `${base}/empty`, timeoutMs: 2000 })).resolves.toBeNull();
  });

  it('reports an error status with its code and body', async () => {
    const error = await failure(requestJson({ method: 'POST', url: `${base}/conflict`, body: {}, timeoutMs: 2000 }));

    expect(error.status).toBe(409);
    expect(error.code).toBe('auction-closed');
    expect(error.body).toMatchObject({ receipt: { onTime: false } });
    expect(error.message).toBe('POST /conflict failed with HTTP 409: closed');
  });

  it('rejects a body that is not JSON', async () => {
    const error = await failure(requestJson({ method: 'GET', url: `${base}/html`, timeoutMs: 2000 }));
    expect(error.message).toBe('GET /html returned a body that is not JSON');
  });

  it('times out a request that gets no answer', async () => {
    const error = await failure(requestJson({ method: 'GET', url: `${base}/silent`, timeoutMs: 200 }));

    expect(error.status).toBeNull();
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('GET /silent failed: timed out after 200 ms');
  });

  it('names a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const error = await failure(requestJson({ method: 'GET', url: `http://127.0.0.1:${port}/x`, timeoutMs: 2000 }));
    expect(error.status).toBeNull();
    expect(error.message).toBe('GET /x failed: ECONNREFUSED');
  });

  it('reports a sent body before any answer', async () => {
    const body = new JsonText(JSON.stringify({ bids: 'x'.repeat(4_000_000) }));
    const started = performance.now();
    let sentAfterMs: number | null = null;
    let calls = 0;
    const onBodySent = () => {
      sentAfterMs = performance.now() - started;
      calls++;
    };

    // The server reads the body and never responds, so only the sent body can trigger the callback before the timeout.
    await failure(requestJson({ method: 'POST', url: `${base}/silent`, body, timeoutMs: 1500, onBodySent }));
    expect(sentAfterMs).not.toBeNull();
    expect(sentAfterMs!).toBeLessThan(1000);
    expect(calls).toBe(1);
  });

  it('reports a body as sent when the connection fails', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    let sent = 0;

    await failure(requestJson({ method: 'POST', url: `http://127.0.0.1:${port}/x`, body: {}, timeoutMs: 2000, onBodySent: () => sent++ }));
    expect(sent).toBe(1);
  });

  it('sends again once when a reused connection was closed', async () => {
    await requestJson({ method: 'GET', url: `${base}/ok`, timeoutMs: 2000 });
    const before = seen.length;

    const answer = await requestJson({ method: 'POST', url: `${base}/drop-reused`, body: { n: 1 }, timeoutMs: 2000 });

    expect(answer).toEqual({ attempt: 'fresh' });
    expect(dropped).toBe(true);
    expect(seen.slice(before).map((request) => request.url)).toEqual(['/drop-reused', '/drop-reused']);
  });

  it('does not send again after a reset on a new connection', async () => {
    let attempts = 0;
    const resetting = createServer((request) => {
      attempts++;
      request.socket.destroy();
    });
    await new Promise<void>((resolve) => resetting.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(resetting.address() as AddressInfo).port}/reset`;

    const error = await failure(requestJson({ method: 'POST', url, body: {}, timeoutMs: 2000 }));
    await new Promise((resolve) => resetting.close(resolve));

    expect(error.status).toBeNull();
    expect(error.message).toMatch(/^POST \/reset failed: (ECONNRESET|socket hang up)$/);
    expect(attempts).toBe(1);
  });
});

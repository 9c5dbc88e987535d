import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { ApiTransport, SealbidApiError } from '../../src/client/index.js';
import { nodeHttpExchange, type HttpExchange } from '../../src/client/node-http.js';

interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  socket: Socket;
}

let server: Server;
let baseUrl: string;
const seen: SeenRequest[] = [];
/** When set, the server drops a reused connection on its next request without a response. */
let dropReused = false;
const requestsPerSocket = new Map<Socket, number>();

function handle(request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const count = (requestsPerSocket.get(request.socket) ?? 0) + 1;
    requestsPerSocket.set(request.socket, count);
    seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), socket: request.socket });
    if (dropReused && count > 1) {
      dropReused = false;
      request.socket.destroy();
      return;
    }
    if (request.url === '/v1/moved' || request.url === '/v1/moved-here') {
      response.writeHead(308, { location: request.url === '/v1/moved' ? 'https://auctions.example/v1/moved' : '/v2/here' });
      response.end();
      return;
    }
    const status = request.url === '/v1/missing' ? 404 : 200;
    const body = status === 404 ? { error: 'not-found', message: 'auction x not found' } : { echo: request.url };
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  });
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  seen.length = 0;
  dropReused = false;
});

function exchange(): HttpExchange {
  const found = nodeHttpExchange();
  if (found === null) {
    throw new Error('expected Node to provide process.getBuiltinModule');
  }
  return found;
}

describe('node http exchange', () => {
  test('sends method, headers and body', async () => {
    const response = await exchange()({ method: 'POST', url: `${baseUrl}/v1/a?b=1`, headers: { 'content-type': 'application/json', 'x-api-key': 'k' }, body: '{"é":1}' });

    expect(response).toEqual({ status: 200, text: JSON.stringify({ echo: '/v1/a?b=1' }) });
    expect(seen[0].method).toBe('POST');
    expect(seen[0].headers['x-api-key']).toBe('k');
    expect(seen[0].headers['content-length']).toBe(String(Buffer.byteLength('{"é":1}')));
    expect(seen[0].body).toBe('{"é":1}');
  });

  test('reuses one connection for requests in sequence', async () => {
    for (let i = 0; i < 3; i++) {
      await exchange()({ method: 'GET', url: `${baseUrl}/v1/same`, headers: {} });
    }

    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((request) => request.socket)).size).toBe(1);
  });

  test('sends a GET again after a dropped reused connection', async () => {
    await exchange()({ method: 'GET', url: `${baseUrl}/v1/warm`, headers: {} });
    dropReused = true;

    const response = await exchange()({ method: 'GET', url: `${baseUrl}/v1/again`, headers: {} });

    expect(response.status).toBe(200);
    expect(seen.map((request) => request.url)).toEqual(['/v1/warm', '/v1/again', '/v1/again']);
    expect(seen[2].socket).not.toBe(seen[1].socket);
  });

  test('does not send a POST again after a dropped reused connection', async () => {
    await exchange()({ method: 'GET', url: `${baseUrl}/v1/warm`, headers: {} });
    dropReused = true;

    const sending = exchange()({ method: 'POST', url: `${baseUrl}/v1/once`, headers: {}, body: '{}' });

    await expect(sending).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(seen.map((request) => request.url)).toEqual(['/v1/warm', '/v1/once']);
  });

  test('rejects a protocol other than http and https', async () => {
    await expect(exchange()({ method: 'GET', url: 'ftp://127.0.0.1/v1/x', headers: {} })).rejects.toThrow('unsupported protocol ftp: in ftp://127.0.0.1/v1/x: use an http:// or https:// base URL');
  });
});

describe('api transport', () => {
  test('uses Node http when no fetch is given', async () => {
    const original = globalThis.fetch;
    const fetchCalls: string[] = [];
    globalThis.fetch = ((input: string) => {
      fetchCalls.push(input);
      return Promise.reject(new Error('fetch must not be called'));
    }) as typeof fetch;
    try {
      const result = await new ApiTransport(baseUrl, { authorization: 'Bearer t' }).request<{ echo: string }>('GET', '/auctions/1');
      expect(result).toEqual({ echo: '/v1/auctions/1' });
    } finally {
      globalThis.fetch = original;
    }

    expect(fetchCalls).toEqual([]);
    expect(seen[0].headers.authorization).toBe('Bearer t');
  });

  test('uses the given fetch for every request', async () => {
    const fetchCalls: string[] = [];
    const transport = new ApiTransport(baseUrl, {}, (input, init) => {
      fetchCalls.push(`${init?.method} ${input}`);
      return globalThis.fetch(input, init);
    });

    await transport.request('POST', '/auctions', { title: 'x' });

    expect(fetchCalls).toEqual([`POST ${baseUrl}/v1/auctions`]);
    expect(seen[0].body).toBe('{"title":"x"}');
  });

  test('turns an error status into SealbidApiError', async () => {
    const request = new ApiTransport(baseUrl).request('GET', '/missing');

    await expect(request).rejects.toBeInstanceOf(SealbidApiError);
    await expect(new ApiTransport(baseUrl).request('GET', '/missing')).rejects.toMatchObject({ status: 404, code: 'not-found', message: 'GET /missing failed with HTTP 404: auction x not found' });
  });

  test('names the target of a redirect', async () => {
    const viaFetch = new ApiTransport(baseUrl, {}, (input, init) => globalThis.fetch(input, init));
    const expected = {
      status: 308,
      code: 'redirect',
      message: "GET /moved failed: the server redirects (HTTP 308) to https://auctions.example/v1/moved; set the base URL to the server's current address",
    };

    await expect(new ApiTransport(baseUrl).request('GET', '/moved')).rejects.toMatchObject(expected);
    await expect(viaFetch.request('GET', '/moved')).rejects.toMatchObject(expected);
    expect(seen.map((item) => item.url)).toEqual(['/v1/moved', '/v1/moved']);
  });

  test('resolves a relative redirect', async () => {
    const request = new ApiTransport(baseUrl).request('GET', '/moved-here');

    await expect(request).rejects.toMatchObject({ code: 'redirect', message: expect.stringContaining(`to ${baseUrl}/v2/here;`) });
  });

  test('reports an unreachable server as connection-failed', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const request = new ApiTransport(`http://127.0.0.1:${port}`).request('GET', '/auctions');

    await expect(request).rejects.toMatchObject({ status: 0, code: 'connection-failed' });
    await expect(new ApiTransport(`http://127.0.0.1:${port}`).request('GET', '/auctions')).rejects.toThrow(/ECONNREFUSED/);
  });
});

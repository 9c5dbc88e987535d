/** The orchestrator serves the web client at / with a strict policy, and the API stays under /v1. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CONTENT_SECURITY_POLICY } from '../../src/orchestrator/web/static-site.js';
import { startHarness, type Harness } from '../orchestrator/support/orchestrator-harness.js';

const AUCTION = '0b9d8c5e-6a43-4e36-9f0e-2d1f7c8b9a10';

let harness: Harness;
let assets: string[];

beforeAll(async () => {
  // The Jest global set-up builds the web client into dist/web.
  assets = readdirSync(join(process.cwd(), 'dist', 'web', 'assets'));
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.stop();
});

async function get(path: string, init?: RequestInit): Promise<Response> {
  return fetch(`${harness.url}${path}`, init);
}

describe('web client routes', () => {
  test.each(['/', '/index.html', `/auctions/${AUCTION}`, `/auctions/${AUCTION}/`, `/auctions/${AUCTION}/result`])('%s serves the page', async (path) => {
    const response = await get(path);
    const body = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(body).toContain('<main id="app"');
    expect(body).not.toContain('{{');
  });

  test('page loads only same-origin files', async () => {
    const body = await (await get('/')).text();
    const sources = [...body.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((match) => match[1]);

    expect(sources.length).toBeGreaterThanOrEqual(3);
    for (const source of sources) {
      expect(source).toMatch(/^\/assets\//);
    }
    expect(body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(body).not.toMatch(/\sstyle=/);
  });

  test('hashed assets are cached for good', async () => {
    const script = assets.find((name) => /^app-.*\.js$/.test(name)) as string;
    const response = await get(`/assets/${script}`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await response.text()).length).toBeGreaterThan(1000);
  });

  test('HEAD sends headers without a body', async () => {
    const response = await get('/', { method: 'HEAD' });

    expect(response.status).toBe(200);
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(100);
    expect(await response.text()).toBe('');
  });
});

describe('web client leaves the API alone', () => {
  test('API health is still JSON', async () => {
    const response = await get('/v1/health');

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', role: 'orchestrator' });
    expect(response.headers.get('content-security-policy')).toBeNull();
  });

  test('unknown API path is a JSON 404', async () => {
    const response = await get('/v1/nothing-here');

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  });

  test.each([
    ['malformed auction id', '/auctions/not-a-uuid'],
    ['unknown asset', '/assets/missing-file.js'],
    ['path traversal', '/assets/..%2Fpackage.json'],
    ['dot segments', '/assets/../../package.json'],
    ['other page', '/admin'],
  ])('%s is not found', async (_name, path) => {
    const response = await get(path);

    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('<main id="app"');
  });

  test('POST to a page route is not served', async () => {
    const response = await get('/', { method: 'POST' });

    expect(response.status).toBe(404);
  });
});

describe('web client not built', () => {
  let empty: string;
  let other: Harness;

  beforeAll(async () => {
    empty = mkdtempSync(join(tmpdir(), 'sealbid-no-web-'));
    process.env.SEALBID_WEB_DIR = empty;
    other = await startHarness();
  });
  afterAll(async () => {
    delete process.env.SEALBID_WEB_DIR;
    await other?.stop();
    rmSync(empty, { recursive: true, force: true });
  });

  test('page explains how to build it', async () => {
    const response = await fetch(`${other.url}/`);

    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build:web');
  });
});

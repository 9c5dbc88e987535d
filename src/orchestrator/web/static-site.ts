/**
 * The request handler that serves the bidder web client: index.html for the
 * page routes and the built files under /assets, each with a strict
 * Content-Security-Policy. Everything under /v1 passes through to the API.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';

/**
 * Scripts, styles, images and connections only from the page's own origin.
 * In CSP Level 3, connect-src 'self' also admits ws: and wss: to the same
 * host and port, which is the orchestrator's WebSocket at /v1/events.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
};

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const PAGE_ROUTES = [/^\/$/, /^\/index\.html$/, new RegExp(`^/auctions/${UUID}/?$`), new RegExp(`^/auctions/${UUID}/result/?$`)];
const ASSET_PATH = /^\/assets\/([A-Za-z0-9][A-Za-z0-9._-]*)$/;
// esbuild's content hash in a file name, such as app-5NAGZCPG.js.
const HASHED_NAME = /-[A-Z0-9]{8}\.(js|css)(\.map)?$/;

type Next = (error?: unknown) => void;

/** Reports that a page was requested but the web client is not built. */
export type MissingBuildListener = (file: string) => void;

/**
 * Creates a connect-style handler serving the web client from root. It
 * handles only GET and HEAD on the page routes and on /assets/<name>, and
 * passes every other request, including /v1, to next(). Names are matched
 * against a strict pattern before any file is read, so no path can leave root.
 */
export function createStaticSiteHandler(root: string, onMissingBuild: MissingBuildListener) {
  return (request: IncomingMessage, response: ServerResponse, next: Next): void => {
    const file = fileFor(request);
    if (file === null) {
      next();
      return;
    }
    serveFile(join(root, file), request.method === 'HEAD', response).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') {
        next(error);
        return;
      }
      if (file === 'index.html') {
        onMissingBuild(join(root, file));
        sendMissingBuild(response);
        return;
      }
      next();
    });
  };
}

function fileFor(request: IncomingMessage): string | null {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return null;
  }
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (PAGE_ROUTES.some((route) => route.test(path))) {
    return 'index.html';
  }
  const asset = ASSET_PATH.exec(path);
  return asset === null || asset[1].includes('..') ? null : join('assets', asset[1]);
}

async function serveFile(path: string, headOnly: boolean, response: ServerResponse): Promise<void> {
  const body = await readFile(path);
  setSecurityHeaders(response);
  response.setHeader('Content-Type', CONTENT_TYPES[extname(path)] ?? 'application/octet-stream');
  response.setHeader('Content-Length', body.length);
  // Hashed names change with their content, so they may be cached for good; index.html must be revalidated.
  response.setHeader('Cache-Control', HASHED_NAME.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
  response.statusCode = 200;
  response.end(headOnly ? undefined : body);
}

function sendMissingBuild(response: ServerResponse): void {
  setSecurityHeaders(response);
  response.statusCode = 503;
  response.setHeader('Content-Type', 'text/plain; charset=utf-8');
  response.end('The bidder web client is not built on this server: run "npm run build:web" (or "npm run build") and reload.\n');
}

function setSecurityHeaders(response: ServerResponse): void {
  response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('X-Frame-Options', 'DENY');
}

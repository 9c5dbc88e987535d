/**
 * Reads the body of the orchestrator's compute request under a larger size
 * limit than every other request gets. A compute request lists every bid
 * with its envelope hash at each evaluator, about 330 bytes per bid with
 * three evaluators, so a run of 100,000 bids needs about 33 MB. Only a
 * request that carries the orchestrator's token is read here. Any other
 * request falls through to the default parser and its smaller limit, so an
 * unauthenticated client cannot make the evaluator buffer a large body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { carriesOrchestratorToken } from './orchestrator.guard.js';

/** Largest compute request body, in bytes. */
export const COMPUTE_BODY_LIMIT_BYTES = 128 * 1024 * 1024;

const COMPUTE_PATH = /^\/v1\/auctions\/[^/]+\/compute$/;

type Request = IncomingMessage & { body?: unknown; path?: string };
type Next = (error?: unknown) => void;

/** Returns an Express middleware that parses authenticated JSON compute requests up to limitBytes. */
export function computeBodyParser(orchestratorToken: string, limitBytes = COMPUTE_BODY_LIMIT_BYTES) {
  return (request: Request, response: ServerResponse, next: Next): void => {
    if (!isComputeRequest(request) || !carriesOrchestratorToken(request.headers, orchestratorToken)) {
      next();
      return;
    }
    if (Number(request.headers['content-length'] ?? 0) > limitBytes) {
      tooLarge(response, limitBytes);
      return;
    }
    readJson(request, response, next, limitBytes);
  };
}

function isComputeRequest(request: Request): boolean {
  const path = request.path ?? new URL(request.url ?? '/', 'http://evaluator').pathname;
  const plainJson = /^application\/json\b/i.test(String(request.headers['content-type'] ?? ''));
  const encoded = request.headers['content-encoding'] !== undefined && request.headers['content-encoding'] !== 'identity';
  return request.method === 'POST' && COMPUTE_PATH.test(path) && plainJson && !encoded;
}

function readJson(request: Request, response: ServerResponse, next: Next, limitBytes: number): void {
  const chunks: Buffer[] = [];
  let size = 0;

  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= limitBytes) {
      chunks.push(chunk);
    }
  });

  request.on('end', () => {
    if (size > limitBytes) {
      tooLarge(response, limitBytes);
      return;
    }
    try {
      request.body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      reply(response, 400, 'invalid-json', 'the compute request body is not valid JSON; send the run as a JSON object');
      return;
    }
    next();
  });

  request.on('error', next);
}

function tooLarge(response: ServerResponse, limitBytes: number): void {
  reply(response, 413, 'payload-too-large', `the compute request is larger than ${limitBytes} bytes, the most an evaluator reads; a run lists at most 100,000 bids`);
}

function reply(response: ServerResponse, statusCode: number, error: string, message: string): void {
  response.statusCode = statusCode;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.end(JSON.stringify({ statusCode, error, message }));
}

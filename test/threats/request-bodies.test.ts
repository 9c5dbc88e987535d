/**
 * Request bodies that the API cannot take get 400 or 415 with what to send.
 *
 * A request body of many nested arrays fits in the body limit and parses,
 * but class-transformer copies it recursively and overflowed the stack, so
 * the orchestrator returned 500. Such a body now gets 400 before validation.
 */
import { BadRequestException } from '@nestjs/common';

import { depthExceeds, MAX_BODY_DEPTH } from '../../src/common/body-depth.pipe.js';
import { jsonBodyProblem } from '../../src/common/json-parse-error.js';
import { OPERATOR_KEY, startHarness, type Harness } from '../orchestrator/support/orchestrator-harness.js';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.stop();
});

/** Returns JSON text of an array nested depth levels deep around the number 1. */
function nested(depth: number): string {
  return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

async function createAuction(bodyText: string) {
  const response = await fetch(`${harness.url}/v1/auctions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': OPERATOR_KEY },
    body: bodyText,
  });
  return { status: response.status, body: (await response.json()) as { error: string; message: string | string[] } };
}

describe('nested request bodies', () => {
  test('reject a deeply nested body with 400', async () => {
    for (const depth of [MAX_BODY_DEPTH + 1, 5_000, 200_000]) {
      const response = await createAuction(`{"title":"Deep","reserve":${nested(depth)}}`);

      expect({ depth, status: response.status }).toEqual({ depth, status: 400 });
      expect({ depth, message: response.body.message }).toEqual({ depth, message: `the request body is nested more than ${MAX_BODY_DEPTH} levels deep; send the flat JSON object this route documents` });
    }
  });

  test('leave a shallow body to validation', async () => {
    const invalid = await createAuction(`{"title":"Shallow","reserve":${nested(3)}}`);
    const valid = await createAuction('{"title":"Shallow"}');

    expect(invalid.status).toBe(400);
    expect(String(invalid.body.message)).not.toContain('nested more than');
    expect(valid.status).toBe(201);
  });
});

describe('depthExceeds', () => {
  test('counts objects and arrays', () => {
    expect(depthExceeds(1, 1)).toBe(false);
    expect(depthExceeds({ a: [1] }, 2)).toBe(false);
    expect(depthExceeds({ a: [1] }, 1)).toBe(true);
    expect(depthExceeds({ a: { b: { c: {} } } }, 3)).toBe(true);
    expect(depthExceeds({ a: { b: { c: {} } } }, 4)).toBe(false);
  });

  test('walks a million levels without recursion', () => {
    let value: unknown = 1;
    for (let i = 0; i < 1_000_000; i++) {
      value = [value];
    }

    expect(depthExceeds(value, MAX_BODY_DEPTH)).toBe(true);
  });
});

describe('bodies the JSON parser rejects', () => {
  test('name the rule and the parser detail', async () => {
    const cases: Array<[string, string]> = [
      ['null', `Unexpected token 'n', "null" is not valid JSON`],
      ['42', `Unexpected token '4', "42" is not valid JSON`],
      ['{"title": x}', 'is not valid JSON'],
    ];
    for (const [text, detail] of cases) {
      const response = await createAuction(text);
      const message = String(response.body.message);

      expect({ text, status: response.status, error: response.body.error }).toEqual({ text, status: 400, error: 'invalid-request' });
      expect({ text, rule: message.startsWith('the request body is not a JSON object or array (') }).toEqual({ text, rule: true });
      expect({ text, detail: message.includes(detail) }).toEqual({ text, detail: true });
      expect({ text, hint: message.endsWith('send JSON with content-type application/json') }).toEqual({ text, hint: true });
    }
  });

  test('leave other bad requests alone', () => {
    expect(jsonBodyProblem(new BadRequestException('title must be a string'))).toBeNull();
    expect(jsonBodyProblem(new BadRequestException('x', { cause: new SyntaxError('not from the parser') }))).toBeNull();
  });
});

describe('bodies of other content types', () => {
  test('get 415 naming the type', async () => {
    const cases: Array<[string | null, string]> = [
      ['application/x-www-form-urlencoded', 'content-type application/x-www-form-urlencoded'],
      ['text/plain;charset=UTF-8', 'content-type text/plain'],
      [null, 'no content-type'],
    ];
    for (const [type, named] of cases) {
      const headers: Record<string, string> = { 'x-api-key': OPERATOR_KEY };
      if (type !== null) {
        headers['content-type'] = type;
      }
      const response = await fetch(`${harness.url}/v1/auctions`, { method: 'POST', headers, body: new Blob(['title=x']) });
      const body = (await response.json()) as { error: string; message: string };

      expect({ type, status: response.status, error: body.error }).toEqual({ type, status: 415, error: 'unsupported-media-type' });
      expect({ type, message: body.message }).toEqual({ type, message: `the request body has ${named}; send JSON with content-type application/json` });
    }
  });

  test('leave JSON and empty bodies alone', async () => {
    const json = await createAuction('{"title":"Typed"}');
    const charset = await fetch(`${harness.url}/v1/auctions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'x-api-key': OPERATOR_KEY },
      body: '{"title":"Charset"}',
    });
    const empty = await fetch(`${harness.url}/v1/auctions`, { method: 'POST', headers: { 'x-api-key': OPERATOR_KEY } });

    expect(json.status).toBe(201);
    expect(charset.status).toBe(201);
    expect(empty.status).toBe(400);
  });
});

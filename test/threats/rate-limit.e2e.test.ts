/**
 * Rate limits on public endpoints, with real orchestrator and evaluator
 * processes (Jest cannot load @nestjs/throttler in process). Each service is
 * started with a small limit: requests without credentials get 429 once the
 * limit is spent, while the operator's and the orchestrator's own requests
 * are not counted.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { jest } from '@jest/globals';

import { defaultLauncher } from '../../src/cli/cluster.js';
import { ServiceProcess } from '../../src/cli/service-process.js';
import { generateSigningKeyPair, toBase64Url } from '../../src/crypto/index.js';
import { freePort, TOKEN } from '../evaluator/support/cluster.js';
import { FakeEvaluator } from '../orchestrator/support/fake-evaluator.js';
import { OPERATOR_KEY } from '../orchestrator/support/orchestrator-harness.js';

jest.setTimeout(120_000);

const LIMIT = 6;
let root: string;
const services: ServiceProcess[] = [];
const fakes: FakeEvaluator[] = [];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sealbid-rate-'));
});
afterAll(async () => {
  await Promise.all(services.map((service) => service.stop()));
  await Promise.all(fakes.map((fake) => fake.stop()));
  rmSync(root, { recursive: true, force: true });
});

async function start(name: string, args: string[], readyPath: string, env: Record<string, string>): Promise<string> {
  const port = await freePort();
  const dataDir = join(root, name);
  const url = `http://127.0.0.1:${port}`;
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('SEALBID_') && key !== 'DATABASE_URL'));
  const service = new ServiceProcess(
    {
      name,
      args,
      env: { ...(base as Record<string, string>), NODE_OPTIONS: '', ...env, SEALBID_HOST: '127.0.0.1', SEALBID_PORT: String(port), SEALBID_DATA_DIR: dataDir },
      dataDir,
      url,
      readyPath,
    },
    defaultLauncher(),
  );
  services.push(service);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  await service.start(60_000);
  return url;
}

/** Sends `count` requests one after another and returns their statuses. */
async function statuses(count: number, url: string, headers: Record<string, string> = {}): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(url, { headers });
    await response.body?.cancel();
    seen.push(response.status);
  }
  return seen;
}

/** Checks that a run of 200s is followed only by 429s, and that at most `limit` requests passed. */
function expectCutOff(seen: number[], limit: number): void {
  const passed = seen.filter((status) => status === 200).length;
  expect(seen).toEqual([...Array(passed).fill(200), ...Array(seen.length - passed).fill(429)]);
  // The readiness probe of the test's launcher may have spent one request of the window.
  expect(passed).toBeGreaterThanOrEqual(limit - 1);
  expect(passed).toBeLessThanOrEqual(limit);
}

describe('rate limits', () => {
  test('orchestrator limits requests without the operator key', async () => {
    for (let party = 1; party <= 3; party++) {
      const fake = new FakeEvaluator(party);
      await fake.start();
      fakes.push(fake);
    }
    const url = await start('orchestrator', ['orchestrator'], '/v1/health', {
      SEALBID_OPERATOR_KEY: OPERATOR_KEY,
      SEALBID_EVALUATORS: JSON.stringify(fakes.map((fake) => fake.pinned())),
      SEALBID_RATE_LIMIT: String(LIMIT),
      SEALBID_RATE_LIMIT_WINDOW_MS: '60000',
    });

    const anonymous = await statuses(LIMIT + 4, `${url}/v1/auctions`);
    expectCutOff(anonymous, LIMIT);

    const refused = await fetch(`${url}/v1/evaluators`);
    expect(await refused.json()).toMatchObject({
      statusCode: 429,
      error: 'too-many-requests',
      message: expect.stringMatching(new RegExp(`at most ${LIMIT} per 60 s`)),
    });
    // A wrong key counts like no key; the operator key is never limited.
    expect(await statuses(2, `${url}/v1/bidders`, { 'x-api-key': 'wrong-operator-key-0000000' })).toEqual([429, 429]);
    expect(await statuses(LIMIT * 3, `${url}/v1/bidders`, { 'x-api-key': OPERATOR_KEY })).toEqual(Array(LIMIT * 3).fill(200));
  });

  test('evaluator limits requests without the orchestrator token', async () => {
    const [peer2, peer3] = [await freePort(), await freePort()];
    const peerKey = toBase64Url(generateSigningKeyPair().publicKey);
    const url = await start('evaluator-1', ['evaluator'], '/v1/identity', {
      SEALBID_EVALUATOR_INDEX: '1',
      SEALBID_ORCHESTRATOR_TOKEN: TOKEN,
      SEALBID_PEERS: JSON.stringify([
        { index: 2, url: `ws://127.0.0.1:${peer2}/v1/peers`, signingPublicKey: peerKey },
        { index: 3, url: `ws://127.0.0.1:${peer3}/v1/peers`, signingPublicKey: peerKey },
      ]),
      SEALBID_RATE_LIMIT: String(LIMIT),
    });

    expectCutOff(await statuses(LIMIT + 4, `${url}/v1/identity`), LIMIT);
    const guesses = await statuses(2, `${url}/v1/auctions/a-1/result`, { authorization: 'Bearer guessed-token-guessed-token-guessed' });
    expect(guesses).toEqual([429, 429]);
    // The orchestrator's requests pass: this auction is unknown, so the status is 404, not 429.
    expect(await statuses(LIMIT * 2, `${url}/v1/auctions/a-1/result`, { authorization: `Bearer ${TOKEN}` })).toEqual(Array(LIMIT * 2).fill(404));
  });
});

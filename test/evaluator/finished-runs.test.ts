import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ResultStatement } from '../../src/crypto/index.js';
import { openDatabase, type Database } from '../../src/db/index.js';
import { FinishedRuns, MAX_KEPT_WON_BITS } from '../../src/evaluator/compute/finished-runs.js';
import type { SignedOpeningTranscript } from '../../src/evaluator/compute/run-evidence.js';
import { completedView } from '../../src/evaluator/compute/run-executor.js';
import { insertComputableRun, readRun, storeAgreement, storeCompletion, type Completion } from '../../src/evaluator/compute/run-store.js';
import { toRunView, type RunView, type SealedWonBit } from '../../src/evaluator/compute/run-view.js';
import { PrismaClient } from '../../src/evaluator/generated/prisma/client.js';

function view(runId: string, overrides: Partial<RunView> = {}): RunView {
  return {
    runId,
    state: 'completed',
    submissionSetHash: 'hash',
    agreement: null,
    result: null,
    wonBits: null,
    error: null,
    openings: null,
    stats: { rounds: 1, multiplications: 2, bytesSent: 3 },
    ...overrides,
  };
}

describe('FinishedRuns', () => {
  it('returns a kept view by auction and run', () => {
    const runs = new FinishedRuns();
    const completed = view('r-1');

    runs.keep('a-1', completed);

    expect(runs.get('a-1', 'r-1')).toBe(completed);
    expect(runs.get('a-2', 'r-1')).toBeUndefined();
    expect(runs.get('a-1', 'r-2')).toBeUndefined();
    expect(runs.get('a-1', undefined)).toBeUndefined();
  });

  it('keeps only completed runs', () => {
    const runs = new FinishedRuns();

    runs.keep('a-1', view('r-1', { state: 'failed', error: { code: 'peer-failed', message: 'lost' } }));
    runs.keep('a-1', view('r-2', { state: 'computing' }));

    expect(runs.get('a-1', 'r-1')).toBeUndefined();
    expect(runs.get('a-1', 'r-2')).toBeUndefined();
  });

  it('drops the oldest beyond capacity', () => {
    const runs = new FinishedRuns(2);

    runs.keep('a-1', view('r-1'));
    runs.keep('a-1', view('r-2'));
    runs.keep('a-1', view('r-3'));

    expect(runs.get('a-1', 'r-1')).toBeUndefined();
    expect(runs.get('a-1', 'r-2')).toBeDefined();
    expect(runs.get('a-1', 'r-3')).toBeDefined();
  });

  it('skips runs with many won bits', () => {
    const runs = new FinishedRuns();
    const wonBit = { bidderId: 'b', submissionId: 's', sealed: {} };

    runs.keep('a-1', view('r-1', { wonBits: Array.from({ length: MAX_KEPT_WON_BITS + 1 }, () => wonBit) }));
    runs.keep('a-1', view('r-2', { wonBits: Array.from({ length: MAX_KEPT_WON_BITS }, () => wonBit) }));

    expect(runs.get('a-1', 'r-1')).toBeUndefined();
    expect(runs.get('a-1', 'r-2')).toBeDefined();
  });
});

describe('completed run view', () => {
  let dataDir: string;
  let database: Database<PrismaClient>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sealbid-finished-runs-'));
    database = await openDatabase({ role: 'evaluator', dataDir, createClient: (adapter) => new PrismaClient({ adapter }) });
  });

  afterAll(async () => {
    await database?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('equals the view read from the rows', async () => {
    const rules = { bits: 16, disclosure: 'amount-only' };
    const closesAt = new Date(Date.now() - 60_000);
    await database.client.auction.create({ data: { id: 'a-1', rules, closesAt, parties: 3, degree: 1 } });
    const run = await insertComputableRun(database.client, { runId: 'r-1', auctionId: 'a-1', setHash: 'set-hash', submissions: { bids: 2 }, rules, now: new Date() });
    expect(run).not.toBeNull();
    const signatures = [
      { evaluator: 1, signature: 'sig-1' },
      { evaluator: 2, signature: 'sig-2' },
      { evaluator: 3, signature: 'sig-3' },
    ];
    await storeAgreement(database.client, 'r-1', 'set-hash', signatures);

    const statement = {
      auctionId: 'a-1',
      runId: 'r-1',
      submissionSetHash: 'set-hash',
      outcome: { status: 'settled', winner: null, price: '2500', validBids: 2 },
    } as unknown as ResultStatement;
    const wonBits: SealedWonBit[] = [
      { bidderId: 'b-1', submissionId: 's-1', sealed: { version: 1, nonce: 'n-1', ciphertext: 'c-1' } },
      { bidderId: 'b-2', submissionId: 's-2', sealed: { version: 1, nonce: 'n-2', ciphertext: 'c-2' } },
    ];
    const openings = { statement: { runId: 'r-1', rounds: [{ round: 1, digest: 'd-1' }] }, signature: 'transcript-sig' } as unknown as SignedOpeningTranscript;
    const completion: Completion = { runId: 'r-1', auctionId: 'a-1', statement, signature: 'result-sig', wonBits, openings, stats: { rounds: 18, multiplications: 250, bytesSent: 4096 } };
    await storeCompletion(database.client, completion);

    const stored = await readRun(database.client, 'a-1', 'r-1');

    expect(completedView(completion, 'set-hash', signatures, 2)).toEqual(toRunView(stored!, 2));
  });
});

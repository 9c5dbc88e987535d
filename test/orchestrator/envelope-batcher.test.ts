/**
 * Group commit of envelope forwarding, against a scripted evaluator client:
 * an envelope goes alone when nothing is in flight, later ones wait and go
 * together, and each caller gets its own receipt or error.
 */
import type { PinnedEvaluator } from '../../src/orchestrator/config/orchestrator-config.js';
import { EnvelopeBatcher } from '../../src/orchestrator/evaluators/envelope-batcher.js';
import type { BatchOutcome, EvaluatorClient } from '../../src/orchestrator/evaluators/evaluator-client.js';
import type { EnvelopeIntake, SignedReceipt } from '../../src/orchestrator/evaluators/evaluator-types.js';
import { EvaluatorRequestError } from '../../src/orchestrator/evaluators/http-json.js';

const evaluator = { party: 1, url: 'http://127.0.0.1:1', token: 't' } as PinnedEvaluator;

function intake(submissionId: string): EnvelopeIntake {
  return { auctionId: 'a-1', submissionId, bidderId: `b-${submissionId}`, kind: 'bid', envelope: {} as EnvelopeIntake['envelope'], wonBitKey: null };
}

function receiptOf(item: EnvelopeIntake): SignedReceipt {
  return { receipt: { submissionId: item.submissionId } as SignedReceipt['receipt'], signature: `sig-${item.submissionId}` };
}

/** A client whose calls stay open until release() and that records what each call carried. */
class ScriptedClient {
  readonly calls: string[][] = [];
  batchAnswer: (items: EnvelopeIntake[]) => BatchOutcome[] = (items) => items.map((item) => ({ statusCode: 201, ...receiptOf(item) }));
  batchError: Error | null = null;
  private pending: Array<() => void> = [];

  async submitEnvelope(_evaluator: PinnedEvaluator, item: EnvelopeIntake): Promise<SignedReceipt> {
    this.calls.push([item.submissionId]);
    await new Promise<void>((resolve) => this.pending.push(resolve));
    return receiptOf(item);
  }

  async submitEnvelopes(_evaluator: PinnedEvaluator, items: EnvelopeIntake[]): Promise<BatchOutcome[]> {
    this.calls.push(items.map((item) => item.submissionId));
    await new Promise<void>((resolve) => this.pending.push(resolve));
    if (this.batchError !== null) {
      throw this.batchError;
    }
    return this.batchAnswer(items);
  }

  /** Lets every open call finish and waits for the batcher to send what queued meanwhile. */
  async release(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    pending.forEach((resolve) => resolve());
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function setUp() {
  const client = new ScriptedClient();
  return { client, batcher: new EnvelopeBatcher(client as unknown as EvaluatorClient) };
}

describe('envelope batcher', () => {
  it('batches envelopes queued meanwhile', async () => {
    const { client, batcher } = setUp();
    const first = batcher.submit(evaluator, intake('s1'));
    const rest = ['s2', 's3', 's4'].map((id) => batcher.submit(evaluator, intake(id)));

    await client.release();
    await client.release();

    expect(client.calls).toEqual([['s1'], ['s2', 's3', 's4']]);
    expect((await first).signature).toBe('sig-s1');
    expect((await Promise.all(rest)).map((signed) => signed.signature)).toEqual(['sig-s2', 'sig-s3', 'sig-s4']);
  });

  it('rejects each envelope separately', async () => {
    const { client, batcher } = setUp();
    client.batchAnswer = (items) => [
      { statusCode: 201, ...receiptOf(items[0]) },
      { statusCode: 409, error: 'auction-closed', message: 'closed', late: true, signature: 'late' },
    ];
    const blocker = batcher.submit(evaluator, intake('s0'));
    const ok = batcher.submit(evaluator, intake('s1'));
    const late = batcher.submit(evaluator, intake('s2')).catch((caught: unknown) => caught);

    await client.release();
    await client.release();

    await blocker;
    expect((await ok).signature).toBe('sig-s1');
    const error = await late;
    expect(error).toBeInstanceOf(EvaluatorRequestError);
    expect(error).toMatchObject({ status: 409, code: 'auction-closed', message: 'POST /v1/auctions/a-1/envelopes failed with HTTP 409: closed' });
    expect((error as EvaluatorRequestError).body).toMatchObject({ signature: 'late' });
  });

  it('fails a whole failed batch', async () => {
    const { client, batcher } = setUp();
    client.batchError = new EvaluatorRequestError('POST /v1/envelope-batches failed: ECONNREFUSED', null);
    const blocker = batcher.submit(evaluator, intake('s0'));
    const batch = ['s1', 's2'].map((id) => batcher.submit(evaluator, intake(id)).catch((caught: Error) => caught.message));

    await client.release();
    await client.release();

    await blocker;
    expect(await Promise.all(batch)).toEqual(['POST /v1/envelope-batches failed: ECONNREFUSED', 'POST /v1/envelope-batches failed: ECONNREFUSED']);
  });

  it('falls back without batch route', async () => {
    const { client, batcher } = setUp();
    client.batchError = new EvaluatorRequestError('POST /v1/envelope-batches failed with HTTP 404: Cannot POST', 404, 'not-found');
    const blocker = batcher.submit(evaluator, intake('s0'));
    const batch = ['s1', 's2'].map((id) => batcher.submit(evaluator, intake(id)));

    await client.release();
    await client.release();
    await client.release();

    await blocker;
    expect((await Promise.all(batch)).map((signed) => signed.signature)).toEqual(['sig-s1', 'sig-s2']);
    expect(client.calls).toEqual([['s0'], ['s1', 's2'], ['s1'], ['s2']]);
  });
});

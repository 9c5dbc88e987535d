/**
 * Group commit for envelope forwarding. Each evaluator has at most one
 * intake request in flight, and envelopes that arrive meanwhile wait and go
 * together in the next request, up to MAX_BATCH_ENVELOPES. Under light load
 * every envelope goes alone. Under heavy load one request and one evaluator
 * statement carry many bids.
 */
import { Injectable } from '@nestjs/common';

import type { PinnedEvaluator } from '../config/orchestrator-config.js';
import { EvaluatorClient, type BatchOutcome } from './evaluator-client.js';
import type { EnvelopeIntake, SignedReceipt } from './evaluator-types.js';
import { EvaluatorRequestError } from './http-json.js';

/** The evaluators' limit on envelopes per batch request. */
export const MAX_BATCH_ENVELOPES = 256;

interface Waiting {
  intake: EnvelopeIntake;
  resolve(receipt: SignedReceipt): void;
  reject(error: Error): void;
}

interface Queue {
  waiting: Waiting[];
  busy: boolean;
}

@Injectable()
export class EnvelopeBatcher {
  private readonly queues = new Map<number, Queue>();

  constructor(private readonly client: EvaluatorClient) {}

  /**
   * Forwards one envelope, alone or in a batch, and returns the evaluator's
   * receipt, not yet checked.
   * @throws EvaluatorRequestError with the evaluator's status, code and body for this envelope.
   */
  submit(evaluator: PinnedEvaluator, intake: EnvelopeIntake): Promise<SignedReceipt> {
    const queue = this.queueOf(evaluator.party);
    return new Promise((resolve, reject) => {
      queue.waiting.push({ intake, resolve, reject });
      this.drain(evaluator, queue);
    });
  }

  private queueOf(party: number): Queue {
    let queue = this.queues.get(party);
    if (queue === undefined) {
      queue = { waiting: [], busy: false };
      this.queues.set(party, queue);
    }
    return queue;
  }

  private drain(evaluator: PinnedEvaluator, queue: Queue): void {
    if (queue.busy || queue.waiting.length === 0) {
      return;
    }
    const batch = queue.waiting.splice(0, MAX_BATCH_ENVELOPES);
    queue.busy = true;
    void this.send(evaluator, batch).finally(() => {
      queue.busy = false;
      this.drain(evaluator, queue);
    });
  }

  private async send(evaluator: PinnedEvaluator, batch: Waiting[]): Promise<void> {
    if (batch.length === 1) {
      await this.sendAlone(evaluator, batch[0]);
      return;
    }

    let outcomes: BatchOutcome[];
    try {
      outcomes = await this.client.submitEnvelopes(evaluator, batch.map((item) => item.intake));
    } catch (error) {
      await this.failBatch(evaluator, batch, error as Error);
      return;
    }
    outcomes.forEach((outcome, index) => settle(batch[index], outcome));
  }

  private async sendAlone(evaluator: PinnedEvaluator, item: Waiting): Promise<void> {
    try {
      item.resolve(await this.client.submitEnvelope(evaluator, item.intake));
    } catch (error) {
      item.reject(error as Error);
    }
  }

  // An evaluator without the batch route returns 404 not-found, so its envelopes go one by one.
  private async failBatch(evaluator: PinnedEvaluator, batch: Waiting[], error: Error): Promise<void> {
    if (error instanceof EvaluatorRequestError && error.status === 404 && error.code === 'not-found') {
      await Promise.all(batch.map((item) => this.sendAlone(evaluator, item)));
      return;
    }
    batch.forEach((item) => item.reject(error));
  }
}

function settle(item: Waiting, outcome: BatchOutcome): void {
  if ((outcome.statusCode === 200 || outcome.statusCode === 201) && outcome.receipt !== undefined && outcome.signature !== undefined) {
    item.resolve({ receipt: outcome.receipt, signature: outcome.signature });
    return;
  }
  const target = `POST /v1/auctions/${item.intake.auctionId}/envelopes`;
  const message = String(outcome.message ?? 'no message').slice(0, 300);
  const code = typeof outcome.error === 'string' ? outcome.error : null;
  item.reject(new EvaluatorRequestError(`${target} failed with HTTP ${outcome.statusCode}: ${message}`, outcome.statusCode, code, outcome));
}

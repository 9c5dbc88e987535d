/**
 * Group commit for envelope forwarding. Each evaluator has at most one
 * intake request in flight, and envelopes that arrive meanwhile wait and go
 * together in the next request, up to MAX_BATCH_ENVELOPES. Under light load
 * every envelope goes alone. Under heavy load one request and one evaluator
 * statement carry many bids.
 */
import { Injectable } from '@nestjs/common';

import { GroupCommit } from '../common/group-commit.js';
import type { PinnedEvaluator } from '../config/orchestrator-config.js';
import { EvaluatorClient, type BatchOutcome } from './evaluator-client.js';
import type { EnvelopeIntake, SignedReceipt } from './evaluator-types.js';
import { EvaluatorRequestError } from './http-json.js';

/** The evaluators' limit on envelopes per batch request. */
export const MAX_BATCH_ENVELOPES = 256;

@Injectable()
export class EnvelopeBatcher {
  private readonly queues = new Map<number, GroupCommit<EnvelopeIntake, SignedReceipt>>();

  constructor(private readonly client: EvaluatorClient) {}

  /**
   * Forwards one envelope, alone or in a batch, and returns the evaluator's
   * receipt, not yet checked.
   * @throws EvaluatorRequestError with the evaluator's status, code and body for this envelope.
   */
  submit(evaluator: PinnedEvaluator, intake: EnvelopeIntake): Promise<SignedReceipt> {
    let queue = this.queues.get(evaluator.party);
    if (queue === undefined) {
      queue = new GroupCommit((intakes) => this.send(evaluator, intakes), MAX_BATCH_ENVELOPES);
      this.queues.set(evaluator.party, queue);
    }
    return queue.submit(intake);
  }

  private async send(evaluator: PinnedEvaluator, intakes: EnvelopeIntake[]): Promise<Array<SignedReceipt | Error>> {
    if (intakes.length === 1) {
      return this.sendAlone(evaluator, intakes);
    }

    try {
      const outcomes = await this.client.submitEnvelopes(evaluator, intakes);
      return outcomes.map((outcome, index) => settle(intakes[index], outcome));
    } catch (error) {
      // An evaluator without the batch route returns 404 not-found, so its envelopes go one by one.
      if (error instanceof EvaluatorRequestError && error.status === 404 && error.code === 'not-found') {
        return this.sendAlone(evaluator, intakes);
      }
      throw error;
    }
  }

  private sendAlone(evaluator: PinnedEvaluator, intakes: EnvelopeIntake[]): Promise<Array<SignedReceipt | Error>> {
    return Promise.all(intakes.map((intake) => this.client.submitEnvelope(evaluator, intake).catch((error: Error) => error)));
  }
}

function settle(intake: EnvelopeIntake, outcome: BatchOutcome): SignedReceipt | Error {
  if ((outcome.statusCode === 200 || outcome.statusCode === 201) && outcome.receipt !== undefined && outcome.signature !== undefined) {
    return { receipt: outcome.receipt, signature: outcome.signature };
  }
  const target = `POST /v1/auctions/${intake.auctionId}/envelopes`;
  const message = String(outcome.message ?? 'no message').slice(0, 300);
  const code = typeof outcome.error === 'string' ? outcome.error : null;
  return new EvaluatorRequestError(`${target} failed with HTTP ${outcome.statusCode}: ${message}`, outcome.statusCode, code, outcome);
}

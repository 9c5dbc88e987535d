import { Injectable, Logger } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

import { DomainError } from '../common/domain-error.js';
import { EvaluatorDatabase } from '../database/evaluator-database.js';
import { BatchEnvelopeDto } from './dto/envelope-batch.dto.js';
import { batchKey, insertEnvelopes, type GuardedEnvelope } from './envelope-store.js';
import { IntakeService, type SignedReceipt } from './intake.service.js';

/** The response for one envelope of a batch: a receipt, or the error body the single endpoint would send. */
export type BatchOutcome =
  | ({ statusCode: 200 | 201 } & SignedReceipt)
  | { statusCode: number; error: string; message: string; [detail: string]: unknown };

/**
 * Batch intake: the bids that pass every check against cached auction rows
 * are stored with one statement. Every other envelope goes through the
 * single-envelope intake in order, so each gets exactly the response it would
 * get on its own. Such envelopes are reserves, envelopes of uncached auctions,
 * failed checks, repeats, a sender's second envelope, and any that the
 * statement skipped.
 */
@Injectable()
export class BatchIntakeService {
  private readonly logger = new Logger(BatchIntakeService.name);

  constructor(
    private readonly database: EvaluatorDatabase,
    private readonly intake: IntakeService,
  ) {}

  /** Returns one outcome per item, in the order given. */
  async submit(items: object[]): Promise<BatchOutcome[]> {
    const parsed = items.map(parseItem);
    const fast = this.checkAll(parsed);

    const stored = await insertEnvelopes(this.database.client, [...fast.values()]).catch((error: unknown) => {
      fast.forEach(({ accepted }) => this.intake.settle(accepted, false));
      throw error;
    });
    fast.forEach(({ accepted }) => this.intake.settle(accepted, stored.has(batchKey(accepted.auctionId, accepted.submissionId))));
    if (stored.size > 0) {
      this.logger.log(`stored ${stored.size} envelopes of a batch of ${items.length}`);
    }

    const outcomes: BatchOutcome[] = [];
    for (const item of parsed) {
      outcomes.push(await this.outcomeOf(item, fast, stored));
    }
    return outcomes;
  }

  /** Checks each valid item against the cache; only the first envelope of each sender and kind of an auction qualifies. */
  private checkAll(parsed: ParsedItem[]): Map<BatchEnvelopeDto, GuardedEnvelope> {
    const fast = new Map<BatchEnvelopeDto, GuardedEnvelope>();
    const senders = new Set<string>();
    const submissions = new Set<string>();
    for (const item of parsed) {
      if (!(item instanceof BatchEnvelopeDto)) {
        continue;
      }
      const kind = item.kind ?? 'bid';
      const sender = `${item.auctionId}/${kind}/${kind === 'reserve' ? '' : item.bidderId}`;
      const submission = batchKey(item.auctionId, item.submissionId);
      const seen = senders.has(sender) || submissions.has(submission);
      senders.add(sender);
      submissions.add(submission);
      // A sender's later envelope waits for its earlier one, which may go through the single intake.
      const checked = seen || kind === 'reserve' ? null : this.intake.checkCached(item.auctionId, item);
      if (checked !== null) {
        fast.set(item, checked);
      }
    }
    return fast;
  }

  private async outcomeOf(item: ParsedItem, fast: Map<BatchEnvelopeDto, GuardedEnvelope>, stored: Set<string>): Promise<BatchOutcome> {
    if (!(item instanceof BatchEnvelopeDto)) {
      return item;
    }
    const checked = fast.get(item);
    if (checked !== undefined && stored.has(batchKey(item.auctionId, item.submissionId))) {
      return { statusCode: 201, receipt: checked.accepted.receipt, signature: checked.accepted.signature };
    }
    try {
      const { signed, created } = await this.intake.submit(item.auctionId, item);
      return { statusCode: created ? 201 : 200, ...signed };
    } catch (error) {
      if (error instanceof DomainError) {
        return { ...error.details, statusCode: error.status, error: error.code, message: error.message };
      }
      throw error;
    }
  }
}

/** A checked item, or the 400 error body for one that fails validation. */
type ParsedItem = BatchEnvelopeDto | { statusCode: 400; error: 'invalid-request'; message: string };

function parseItem(item: object): ParsedItem {
  const dto = plainToInstance(BatchEnvelopeDto, item);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length === 0) {
    return dto;
  }
  return { statusCode: 400, error: 'invalid-request', message: errors.flatMap(messagesOf).join('; ') };
}

function messagesOf(error: ValidationError): string[] {
  const own = Object.values(error.constraints ?? {});
  return [...own, ...(error.children ?? []).flatMap(messagesOf)];
}

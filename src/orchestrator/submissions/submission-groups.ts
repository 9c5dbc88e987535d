/**
 * Group commit for the two writes of every sealed submission. While one
 * statement runs, the submissions that reach the same write wait and are
 * written together by the next statement. A group whose statement fails is
 * written again one submission at a time, so one bad submission fails alone.
 */
import { Injectable, Logger } from '@nestjs/common';

import { AuctionsService } from '../auctions/auctions.service.js';
import { GroupCommit } from '../common/group-commit.js';
import { KeyedLock } from '../common/keyed-lock.js';
import { DatabaseService } from '../database/database.service.js';
import { acceptGroup, insertPendingGroup } from './submission-batch-store.js';
import { acceptSubmission, insertPending, isUniqueViolation, type Acceptance, type AcceptanceOutcome, type PendingSubmission } from './submission-store.js';

/** Largest group written by one statement. */
const MAX_GROUP = 256;

/** Whether a pending submission was stored, or its id was already taken. */
export type PendingOutcome = 'stored' | 'taken';

@Injectable()
export class SubmissionGroups {
  private readonly logger = new Logger(SubmissionGroups.name);
  private readonly pending = new GroupCommit<PendingSubmission, PendingOutcome>((items) => this.storePending(items), MAX_GROUP, (item) => [item.id]);
  private readonly acceptances = new GroupCommit<Acceptance, AcceptanceOutcome>((items) => this.acceptLocked(items), MAX_GROUP, senderKeys);

  constructor(
    private readonly database: DatabaseService,
    private readonly locks: KeyedLock,
    private readonly auctions: AuctionsService,
  ) {}

  /** Stores the submission as pending with its envelopes, unless its id is taken. */
  insertPending(submission: PendingSubmission): Promise<PendingOutcome> {
    return this.pending.submit(submission);
  }

  /** Accepts the submission as acceptSubmission does, under its auction's lock. */
  accept(acceptance: Acceptance): Promise<AcceptanceOutcome> {
    return this.acceptances.submit(acceptance);
  }

  private async storePending(items: PendingSubmission[]): Promise<Array<PendingOutcome | Error>> {
    if (items.length > 1) {
      const stored = await insertPendingGroup(this.database.prisma, items).catch((error: Error) => this.groupFailed('storing', items.length, error));
      if (stored !== null) {
        return items.map((item) => (stored.has(item.id) ? 'stored' : 'taken'));
      }
    }
    return Promise.all(items.map((item) => this.storeOnePending(item)));
  }

  private async storeOnePending(item: PendingSubmission): Promise<PendingOutcome | Error> {
    try {
      await insertPending(this.database.prisma, item);
      return 'stored';
    } catch (error) {
      return isUniqueViolation(error) ? 'taken' : (error as Error);
    }
  }

  // Only one group runs at a time, and no other holder of an auction lock waits for an acceptance, so holding several locks cannot deadlock.
  private acceptLocked(items: Acceptance[]): Promise<Array<AcceptanceOutcome | Error>> {
    const auctionIds = [...new Set(items.map((item) => item.auctionId))].sort();
    return this.underLocks(auctionIds, () => this.acceptAll(items));
  }

  private underLocks<T>(auctionIds: string[], task: () => Promise<T>): Promise<T> {
    if (auctionIds.length === 0) {
      return task();
    }
    const [first, ...rest] = auctionIds;
    return this.locks.run(first, () => this.underLocks(rest, task));
  }

  private async acceptAll(items: Acceptance[]): Promise<Array<AcceptanceOutcome | Error>> {
    const outcomes = await this.writeAcceptances(items);
    outcomes.forEach((outcome, index) => {
      if (!(outcome instanceof Error) && outcome.auctionState === 'open') {
        const counts = items[index].kind === 'bid' ? { sealedBids: outcome.sealedBids } : { sealedReserves: 1 };
        this.auctions.countsChanged(items[index].auctionId, counts);
      }
    });
    return outcomes;
  }

  private async writeAcceptances(items: Acceptance[]): Promise<Array<AcceptanceOutcome | Error>> {
    if (items.length > 1 && items.every((item) => item.kind === 'bid')) {
      const outcomes = await acceptGroup(this.database.prisma, items).catch((error: Error) => this.groupFailed('accepting', items.length, error));
      if (outcomes !== null) {
        return outcomes;
      }
    }
    const outcomes: Array<AcceptanceOutcome | Error> = [];
    for (const item of items) {
      outcomes.push(await acceptSubmission(this.database.prisma, item).catch((error: Error) => error));
    }
    return outcomes;
  }

  private groupFailed(step: string, size: number, error: Error): null {
    this.logger.warn(`${step} a group of ${size} submissions failed (${error.message.slice(0, 200)}); writing them one at a time`);
    return null;
  }
}

// A reserve replaces the auction's previous reserve from any sender, so all reserves of an auction share one key.
function senderKeys(acceptance: Acceptance): string[] {
  const sender = acceptance.kind === 'reserve' ? 'reserve' : `bid\n${acceptance.bidderId}`;
  return [`${acceptance.auctionId}\n${sender}`, acceptance.submissionId];
}

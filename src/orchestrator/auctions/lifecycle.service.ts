import { Injectable, Logger } from '@nestjs/common';

import { NotFoundError } from '../common/domain-errors.js';
import { KeyedLock } from '../common/keyed-lock.js';
import { DatabaseService } from '../database/database.service.js';
import type { Auction, Prisma } from '../generated/prisma/client.js';
import { AuctionEvents } from '../events/auction-events.js';
import { AuctionsService } from './auctions.service.js';
import { checkTransition, type AuctionState } from './lifecycle.js';

/** Extra writes committed in the same transaction as a transition. */
export type TransitionWrites = (tx: Prisma.TransactionClient, auction: Auction) => Promise<void>;

/** Options of one transition. */
export interface TransitionOptions {
  reason?: string | null;
  /** Only move when the auction is in one of these states; otherwise return null without error. */
  onlyFrom?: readonly AuctionState[];
  /** Other auction columns to change in the same update. */
  set?: Prisma.AuctionUpdateInput;
  writes?: TransitionWrites;
}

/**
 * Performs lifecycle transitions: checks them against the transition table,
 * stores the new state with a row in the transition log in one transaction,
 * and announces the change only after that commit.
 */
@Injectable()
export class LifecycleService {
  private readonly logger = new Logger(LifecycleService.name);

  constructor(
    private readonly database: DatabaseService,
    private readonly locks: KeyedLock,
    private readonly events: AuctionEvents,
    private readonly auctions: AuctionsService,
  ) {}

  /**
   * Moves an auction to a new state under the auction's lock.
   * Returns the updated auction, or null when options.onlyFrom did not match.
   * @throws NotFoundError, StateConflictError or InvalidRequestError.
   */
  async transition(auctionId: string, to: AuctionState, options: TransitionOptions = {}): Promise<Auction | null> {
    return this.locks.run(auctionId, () => this.transitionLocked(auctionId, to, options));
  }

  /** As transition, for callers that already hold the auction's lock. */
  async transitionLocked(auctionId: string, to: AuctionState, options: TransitionOptions = {}): Promise<Auction | null> {
    const reason = options.reason ?? null;
    const updated = await this.database.prisma.$transaction(async (tx) => {
      const auction = await tx.auction.findUnique({ where: { id: auctionId } });
      if (auction === null) {
        throw new NotFoundError(`auction ${auctionId} not found`);
      }
      if (options.onlyFrom !== undefined && !options.onlyFrom.includes(auction.state)) {
        return null;
      }
      checkTransition(auctionId, auction.state, to, reason);

      const now = new Date();
      const next = await tx.auction.update({
        where: { id: auctionId },
        data: {
          ...options.set,
          state: to,
          stateReason: reason,
          ...(to === 'open' ? { openedAt: now } : {}),
          ...(to === 'closed' ? { closedAt: now } : {}),
        },
      });
      await tx.transition.create({ data: { auctionId, fromState: auction.state, toState: to, reason, at: now } });
      await options.writes?.(tx, next);
      return next;
    });

    if (updated !== null) {
      this.auctions.written(updated);
      this.logger.log(`auction ${auctionId} is now ${to}${reason === null ? '' : ` (${reason})`}`);
      this.events.publish({ type: 'state', auctionId, state: to, reason, at: updated.updatedAt.toISOString() });
    }
    return updated;
  }
}

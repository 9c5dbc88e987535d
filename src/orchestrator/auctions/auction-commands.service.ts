import { Inject, Injectable, Logger } from '@nestjs/common';

import { EvaluatorFailureError, InvalidRequestError, StateConflictError } from '../common/domain-errors.js';
import { KeyedLock } from '../common/keyed-lock.js';
import { ORCHESTRATOR_CONFIG } from '../common/tokens.js';
import type { OrchestratorConfig } from '../config/orchestrator-config.js';
import { ComputationService } from '../computation/computation.service.js';
import type { AuctionRules } from '../../mpc/auction/rules.js';
import { EvaluatorClient, type AuctionRegistration, type RulesBody } from '../evaluators/evaluator-client.js';
import type { Auction } from '../generated/prisma/client.js';
import { settingsFromRow, toRules } from './auction-settings.js';
import type { AuctionView } from './auction-view.js';
import { AuctionsService } from './auctions.service.js';
import { LifecycleService } from './lifecycle.service.js';

/** Shortest time between opening an auction and its close, in milliseconds. */
const MIN_OPEN_PERIOD_MS = 1_000;

/** The operator's lifecycle commands: open, close early and cancel. */
@Injectable()
export class AuctionCommandsService {
  private readonly logger = new Logger(AuctionCommandsService.name);

  constructor(
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
    private readonly auctions: AuctionsService,
    private readonly lifecycle: LifecycleService,
    private readonly evaluators: EvaluatorClient,
    private readonly computation: ComputationService,
    private readonly locks: KeyedLock,
  ) {}

  /**
   * Registers a draft auction at every evaluator and opens it.
   * @throws InvalidRequestError without a future closing time, StateConflictError
   *   unless it is a draft, EvaluatorFailureError when an evaluator does not register it.
   */
  async open(auctionId: string, closesAtText?: string): Promise<AuctionView> {
    const opened = await this.locks.run(auctionId, async () => {
      const auction = await this.auctions.require(auctionId);
      if (auction.state !== 'draft') {
        throw new StateConflictError(`auction ${auctionId} is ${auction.state}; only a draft auction can be opened`);
      }
      const closesAt = closesAtText === undefined ? auction.closesAt : new Date(closesAtText);
      checkClosingTime(closesAt);

      await this.register(auction, closesAt);
      return this.lifecycle.transitionLocked(auctionId, 'open', { closesAt });
    });
    return this.auctions.view(opened as Auction);
  }

  /**
   * Closes an open auction before its deadline and starts the computation.
   * @throws StateConflictError unless the auction is open.
   */
  async close(auctionId: string): Promise<AuctionView> {
    await this.lifecycle.transition(auctionId, 'closed');
    this.logger.log(`auction ${auctionId} closed by the operator`);
    // The compute requests carry the early closing time, and each evaluator moves its own closing time to it first.
    await this.startComputation(auctionId);
    return this.auctions.get(auctionId);
  }

  /** Closes an open auction whose deadline has passed, then starts the computation. */
  async closeDue(auctionId: string): Promise<void> {
    const closed = await this.lifecycle.transition(auctionId, 'closed', { onlyFrom: ['open'] });
    if (closed !== null) {
      await this.startComputation(auctionId);
    }
  }

  /** Moves a closed auction to computing and drives the computation in the background. */
  async startComputation(auctionId: string): Promise<void> {
    await this.computation.begin(auctionId);
    const auction = await this.auctions.require(auctionId);
    if (auction.state === 'computing') {
      this.computation.drive(auctionId);
    }
  }

  /**
   * Cancels an auction before its computation starts and notifies the evaluators.
   * @throws StateConflictError once computing has started or the auction is final.
   */
  async cancel(auctionId: string, reason: string): Promise<AuctionView> {
    const before = await this.auctions.require(auctionId);
    const cancelled = await this.lifecycle.transition(auctionId, 'cancelled', { reason });
    if (before.state !== 'draft') {
      await this.notifyCancelled(auctionId, reason);
    }
    return this.auctions.view(cancelled as Auction);
  }

  private async register(auction: Auction, closesAt: Date): Promise<void> {
    const failures = await this.registerEverywhere(auction, closesAt);
    if (failures.length > 0) {
      const reason = failures.map((failure) => `evaluator ${failure.party}: ${failure.message}`).join('; ');
      this.logger.warn(`auction ${auction.id} not opened: ${reason}`);
      throw new EvaluatorFailureError(failures[0].party, `the auction stays a draft because an evaluator did not register it: ${reason}`);
    }
  }

  private async registerEverywhere(auction: Auction, closesAt: Date): Promise<Array<{ party: number; message: string }>> {
    const registration = this.registration(auction, closesAt);
    const outcomes = await Promise.all(
      this.config.evaluators.map(async (evaluator) => {
        try {
          await this.evaluators.registerAuction(evaluator, auction.id, registration);
          return null;
        } catch (error) {
          return { party: evaluator.party, message: (error as Error).message };
        }
      }),
    );
    return outcomes.filter((outcome) => outcome !== null);
  }

  private registration(auction: Auction, closesAt: Date): AuctionRegistration {
    return {
      rules: rulesBody(toRules(settingsFromRow(auction))),
      closesAt: closesAt.toISOString(),
      parties: this.config.evaluators.length,
      degree: this.config.degree,
    };
  }

  private async notifyCancelled(auctionId: string, reason: string): Promise<void> {
    await Promise.all(
      this.config.evaluators.map(async (evaluator) => {
        try {
          await this.evaluators.cancelAuction(evaluator, auctionId, reason);
        } catch (error) {
          // The evaluator erases the envelopes after its retention period even without this notice.
          this.logger.warn(`evaluator ${evaluator.party} was not notified that auction ${auctionId} was cancelled: ${(error as Error).message}`);
        }
      }),
    );
  }
}

function rulesBody(rules: AuctionRules): RulesBody {
  const body: RulesBody = {
    bits: rules.bits,
    direction: rules.direction,
    price: rules.price,
    ties: rules.ties,
    disclosure: rules.disclosure,
  };
  if (rules.reserve !== undefined) {
    body.reserve = rules.reserve.kind === 'public' ? { kind: 'public', amount: rules.reserve.amount.toString() } : { kind: 'sealed' };
  }
  if (rules.minPrice !== undefined) {
    body.minPrice = rules.minPrice.toString();
  }
  if (rules.minValidBids !== undefined) {
    body.minValidBids = rules.minValidBids;
  }
  return body;
}

function checkClosingTime(closesAt: Date | null): asserts closesAt is Date {
  if (closesAt === null) {
    throw new InvalidRequestError('set closesAt (in the auction settings or in the open request) before opening');
  }
  if (closesAt.getTime() < Date.now() + MIN_OPEN_PERIOD_MS) {
    throw new InvalidRequestError(`closesAt ${closesAt.toISOString()} must be at least ${MIN_OPEN_PERIOD_MS / 1000} s in the future`);
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';

import type { AuctionRules } from '../../mpc/index.js';
import { conflict, notFound } from '../common/domain-error.js';
import { EVALUATOR_CONFIG } from '../common/tokens.js';
import type { EvaluatorConfig } from '../config/evaluator-config.js';
import { EvaluatorDatabase } from '../database/evaluator-database.js';
import { Prisma, type Auction } from '../generated/prisma/client.js';
import type { RegisterAuctionDto } from './dto/register-auction.dto.js';
import { AuctionCache } from './auction-cache.js';
import { closeOpenAuctionEarly, insertAuction, readCountedAuction, updateOpenAuction, type CountedAuction } from './auction-store.js';
import { checkWireRules, toAuctionRules, type WireRules } from './rules.js';
import { stableStringify } from '../common/stable-json.js';
import { OpenedShares } from '../intake/opened-shares.js';

/** An auction as the REST API shows it. */
export interface AuctionView {
  auctionId: string;
  rules: WireRules;
  closesAt: string;
  parties: number;
  degree: number;
  state: Auction['state'];
  envelopes: number;
}

/** Registration, cancellation and look-up of the auctions this evaluator takes part in. */
@Injectable()
export class AuctionsService {
  private readonly logger = new Logger(AuctionsService.name);
  private readonly cache = new AuctionCache();

  constructor(
    private readonly database: EvaluatorDatabase,
    @Inject(EVALUATOR_CONFIG) private readonly config: EvaluatorConfig,
    private readonly opened: OpenedShares,
  ) {}

  /**
   * Registers an auction or applies an allowed update.
   * @throws DomainError for a configuration mismatch, invalid rules or a locked auction.
   */
  async register(auctionId: string, dto: RegisterAuctionDto): Promise<{ view: AuctionView; created: boolean }> {
    this.checkParameters(dto);
    const rules = checkWireRules(dto.rules);
    const closesAt = new Date(dto.closesAt);

    // A cached auction exists, so the insert is tried first only for an id this process has not seen.
    let existing = this.cache.get(auctionId) ? await readCountedAuction(this.database.client, auctionId) : null;
    if (!existing) {
      const auction = await insertAuction(this.database.client, { id: auctionId, rules, closesAt, parties: dto.parties, degree: dto.degree });
      if (auction) {
        this.cache.put(auction);
        this.logger.log(`registered auction ${auctionId}, closing at ${closesAt.toISOString()}`);
        return { view: toView(auction, 0), created: true };
      }
      existing = await readCountedAuction(this.database.client, auctionId);
    }
    if (!existing) {
      throw new Error(`auction ${auctionId} was neither inserted nor found; it must have been deleted during registration`);
    }
    this.cache.put(existing.auction);
    return { view: await this.update(existing, rules, closesAt), created: false };
  }

  /**
   * Cancels an auction and erases its envelopes at once.
   * @throws DomainError when the auction is unknown or already settled.
   */
  async cancel(auctionId: string, reason: string | undefined): Promise<AuctionView> {
    const auction = await this.get(auctionId);
    if (auction.state === 'cancelled') {
      return this.countedView(auction);
    }
    if (auction.state === 'settled') {
      throw conflict('auction-settled', `auction ${auctionId} is settled and can no longer be cancelled`);
    }

    const now = new Date();
    const [updated] = await this.database.client.$transaction([
      this.database.client.auction.update({
        where: { id: auctionId },
        data: { state: 'cancelled', cancelledAt: now, cancelReason: reason ?? null, erasedAt: now },
      }),
      this.database.client.envelope.updateMany({ where: { auctionId }, data: { sealed: Prisma.DbNull } }),
    ]);
    this.cache.put(updated);
    this.opened.forget(auctionId);
    this.logger.log(`cancelled auction ${auctionId} and erased its envelopes`);
    return this.countedView(updated);
  }

  /**
   * Reads the auction from the database and caches the row.
   * @throws DomainError 404 auction-not-found.
   */
  async get(auctionId: string): Promise<Auction> {
    const auction = await this.database.client.auction.findUnique({ where: { id: auctionId } });
    if (!auction) {
      this.cache.drop(auctionId);
      throw notFound('auction-not-found', `auction ${auctionId} is not registered at this evaluator`);
    }
    this.cache.put(auction);
    return auction;
  }

  /**
   * Moves the closing time of an open auction back to closedAt, when the
   * operator closed it early, so that no envelope is accepted after it and a
   * run may start. Does nothing when the auction already closes by then, so
   * the closing time never moves later. A closedAt ahead of this evaluator's
   * clock is kept, and the run waits for it as for any closing time.
   * @throws DomainError 404 for an unknown auction.
   */
  async closeEarly(auctionId: string, closedAt: Date): Promise<void> {
    const now = new Date();
    const auction = this.cache.get(auctionId) ?? (await this.get(auctionId));
    if (auction.state !== 'open' || auction.closesAt.getTime() <= closedAt.getTime()) {
      return;
    }
    const moved = await closeOpenAuctionEarly(this.database.client, { id: auctionId, closedAt, now });
    if (moved === null) {
      // Closed, cancelled or moved since the read: the compute checks that follow read the stored row.
      this.cache.drop(auctionId);
      return;
    }
    this.cache.put(moved);
    this.logger.log(`auction ${auctionId} closed early at ${closedAt.toISOString()}`);
  }

  /**
   * Returns the auction's row as this process last saw it, without a query,
   * or undefined. The state, closing time and rules in it may be stale, so a
   * caller acts on them only in a statement that checks them again.
   */
  cached(auctionId: string): Auction | undefined {
    return this.cache.get(auctionId);
  }

  /** Drops the cached row of an auction whose stored state the caller found different. */
  forget(auctionId: string): void {
    this.cache.drop(auctionId);
  }

  private async countedView(auction: Auction): Promise<AuctionView> {
    const envelopes = await this.database.client.envelope.count({ where: { auctionId: auction.id } });
    return toView(auction, envelopes);
  }

  private async update(existing: CountedAuction, rules: WireRules, closesAt: Date): Promise<AuctionView> {
    const { auction, envelopes } = existing;
    const sameRules = stableStringify(auction.rules) === stableStringify(rules);
    const sameClose = auction.closesAt.getTime() === closesAt.getTime();
    if (sameRules && sameClose) {
      return toView(auction, envelopes);
    }

    const id = auction.id;
    const now = new Date();
    if (auction.state !== 'open' || now.getTime() >= auction.closesAt.getTime()) {
      throw conflict('auction-locked', `auction ${id} is closed, settled or cancelled; its registration can no longer change`);
    }
    if (!sameRules && envelopes > 0) {
      throw conflict('auction-locked', `auction ${id} already has envelopes; only closesAt may change`);
    }

    // The statement checks the same conditions again, because another request may have changed the auction since the read.
    const updated = await updateOpenAuction(this.database.client, { id, rules, closesAt, now });
    if (!updated) {
      this.cache.drop(id);
      throw conflict('auction-locked', `auction ${id} was closed or received envelopes while this update ran; repeat the request to see its state`);
    }
    this.cache.put(updated.auction);
    this.logger.log(`updated auction ${id}, closing at ${closesAt.toISOString()}`);
    return toView(updated.auction, updated.envelopes);
  }

  private checkParameters(dto: RegisterAuctionDto): void {
    if (dto.parties !== this.config.parties || dto.degree !== this.config.degree) {
      throw conflict(
        'configuration-mismatch',
        `auction asks for ${dto.parties} parties with degree ${dto.degree}, ` +
          `but this evaluator is configured for ${this.config.parties} parties with degree ${this.config.degree}`,
      );
    }
  }
}

/** Builds the REST view of an auction with its envelope count. */
function toView(auction: Auction, envelopes: number): AuctionView {
  return {
    auctionId: auction.id,
    rules: auction.rules as unknown as WireRules,
    closesAt: auction.closesAt.toISOString(),
    parties: auction.parties,
    degree: auction.degree,
    state: auction.state,
    envelopes,
  };
}

/** Returns the core rules of a stored auction. */
export function auctionRules(auction: Auction): AuctionRules {
  return toAuctionRules(auction.rules as unknown as WireRules);
}

import { Inject, Injectable, Logger } from '@nestjs/common';

import type { AuctionRules } from '../../mpc/index.js';
import { conflict, notFound } from '../common/domain-error.js';
import { EVALUATOR_CONFIG } from '../common/tokens.js';
import type { EvaluatorConfig } from '../config/evaluator-config.js';
import { EvaluatorDatabase } from '../database/evaluator-database.js';
import { Prisma, type Auction } from '../generated/prisma/client.js';
import type { RegisterAuctionDto } from './dto/register-auction.dto.js';
import { checkWireRules, toAuctionRules, type WireRules } from './rules.js';
import { stableStringify } from '../common/stable-json.js';

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

  constructor(
    private readonly database: EvaluatorDatabase,
    @Inject(EVALUATOR_CONFIG) private readonly config: EvaluatorConfig,
  ) {}

  /**
   * Registers an auction or applies an allowed update.
   * @throws DomainError for a configuration mismatch, invalid rules or a locked auction.
   */
  async register(auctionId: string, dto: RegisterAuctionDto): Promise<{ view: AuctionView; created: boolean }> {
    this.checkParameters(dto);
    const rules = checkWireRules(dto.rules);
    const closesAt = new Date(dto.closesAt);
    const existing = await this.database.client.auction.findUnique({ where: { id: auctionId } });

    if (!existing) {
      const auction = await this.database.client.auction.create({
        data: { id: auctionId, rules: rules as object, closesAt, parties: dto.parties, degree: dto.degree },
      });
      this.logger.log(`registered auction ${auctionId}, closing at ${closesAt.toISOString()}`);
      return { view: await this.toView(auction), created: true };
    }
    return { view: await this.update(existing, rules, closesAt), created: false };
  }

  /**
   * Cancels an auction and erases its envelopes at once.
   * @throws DomainError when the auction is unknown or already settled.
   */
  async cancel(auctionId: string, reason: string | undefined): Promise<AuctionView> {
    const auction = await this.get(auctionId);
    if (auction.state === 'cancelled') {
      return this.toView(auction);
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
    this.logger.log(`cancelled auction ${auctionId} and erased its envelopes`);
    return this.toView(updated);
  }

  /**
   * Returns the stored auction.
   * @throws DomainError 404 auction-not-found.
   */
  async get(auctionId: string): Promise<Auction> {
    const auction = await this.database.client.auction.findUnique({ where: { id: auctionId } });
    if (!auction) {
      throw notFound('auction-not-found', `auction ${auctionId} is not registered at this evaluator`);
    }
    return auction;
  }

  /** Returns the auction's view with its envelope count. */
  async toView(auction: Auction): Promise<AuctionView> {
    const envelopes = await this.database.client.envelope.count({ where: { auctionId: auction.id } });
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

  private async update(existing: Auction, rules: WireRules, closesAt: Date): Promise<AuctionView> {
    const sameRules = stableStringify(existing.rules) === stableStringify(rules);
    const sameClose = existing.closesAt.getTime() === closesAt.getTime();
    if (sameRules && sameClose) {
      return this.toView(existing);
    }

    const id = existing.id;
    if (existing.state !== 'open' || Date.now() >= existing.closesAt.getTime()) {
      throw conflict('auction-locked', `auction ${id} is closed, settled or cancelled; its registration can no longer change`);
    }
    if (!sameRules && (await this.database.client.envelope.count({ where: { auctionId: id } })) > 0) {
      throw conflict('auction-locked', `auction ${id} already has envelopes; only closesAt may change`);
    }

    const auction = await this.database.client.auction.update({ where: { id }, data: { rules: rules as object, closesAt } });
    this.logger.log(`updated auction ${id}, closing at ${closesAt.toISOString()}`);
    return this.toView(auction);
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

/** Returns the core rules of a stored auction. */
export function auctionRules(auction: Auction): AuctionRules {
  return toAuctionRules(auction.rules as unknown as WireRules);
}

import { Injectable, Logger } from '@nestjs/common';

import { NotFoundError, StateConflictError } from '../common/domain-errors.js';
import { KeyedLock } from '../common/keyed-lock.js';
import { DatabaseService } from '../database/database.service.js';
import type { Auction } from '../generated/prisma/client.js';
import { DEFAULT_SETTINGS, mergeSettings, settingsFromRow, settingsToColumns } from './auction-settings.js';
import { toAuctionView, type AuctionView } from './auction-view.js';
import type { ConfigureAuctionDto, CreateAuctionDto } from './dto/auction-settings.dto.js';

/** Creation, configuration and reading of auctions. */
@Injectable()
export class AuctionsService {
  private readonly logger = new Logger(AuctionsService.name);

  constructor(
    private readonly database: DatabaseService,
    private readonly locks: KeyedLock,
  ) {}

  /** Creates a draft auction. @throws InvalidRequestError for invalid settings. */
  async create(body: CreateAuctionDto): Promise<AuctionView> {
    const settings = mergeSettings(DEFAULT_SETTINGS, body);
    const id = crypto.randomUUID();
    const row = await this.database.prisma.$transaction(async (tx) => {
      const created = await tx.auction.create({ data: { id, title: body.title, ...settingsToColumns(settings) } });
      await tx.transition.create({ data: { auctionId: id, fromState: null, toState: 'draft', at: created.createdAt } });
      return created;
    });
    this.logger.log(`auction ${id} created as draft`);
    return toAuctionView(row, 0, false);
  }

  /**
   * Changes the settings of a draft auction.
   * @throws NotFoundError, StateConflictError when it is no longer a draft, InvalidRequestError.
   */
  async configure(auctionId: string, body: ConfigureAuctionDto): Promise<AuctionView> {
    const row = await this.locks.run(auctionId, async () => {
      const current = await this.require(auctionId);
      if (current.state !== 'draft') {
        throw new StateConflictError(`auction ${auctionId} is ${current.state}; only a draft auction can be configured`);
      }
      const settings = mergeSettings(settingsFromRow(current), body);
      return this.database.prisma.auction.update({
        where: { id: auctionId },
        data: { ...(body.title === undefined ? {} : { title: body.title }), ...settingsToColumns(settings) },
      });
    });
    this.logger.log(`auction ${auctionId} configured`);
    return this.view(row);
  }

  /** Returns the public view of one auction. @throws NotFoundError. */
  async get(auctionId: string): Promise<AuctionView> {
    return this.view(await this.require(auctionId));
  }

  /** Returns every auction, newest first, at most `limit`. */
  async list(limit: number): Promise<AuctionView[]> {
    const rows = await this.database.prisma.auction.findMany({ orderBy: { createdAt: 'desc' }, take: limit });
    return Promise.all(rows.map((row) => this.view(row)));
  }

  /** Returns the state, its reason and the stored transition log. @throws NotFoundError. */
  async state(auctionId: string) {
    const auction = await this.require(auctionId);
    const transitions = await this.database.prisma.transition.findMany({ where: { auctionId }, orderBy: { id: 'asc' } });
    return {
      auctionId,
      state: auction.state,
      reason: auction.stateReason,
      transitions: transitions.map((t) => ({ from: t.fromState, to: t.toState, reason: t.reason, at: t.at.toISOString() })),
    };
  }

  /** Returns the number of sealed bids in force, excluding excluded bidders. @throws NotFoundError. */
  async sealedBidCount(auctionId: string): Promise<number> {
    return (await this.require(auctionId)).sealedBids;
  }

  /** Loads an auction row. @throws NotFoundError. */
  async require(auctionId: string): Promise<Auction> {
    const auction = await this.database.prisma.auction.findUnique({ where: { id: auctionId } });
    if (auction === null) {
      throw new NotFoundError(`auction ${auctionId} not found`);
    }
    return auction;
  }

  /** Builds the public view of a row; the row carries its bid count, kept current by every acceptance and exclusion. */
  async view(row: Auction): Promise<AuctionView> {
    return toAuctionView(row, row.sealedBids, row.sealedReserves > 0);
  }
}

import { Injectable, Logger } from '@nestjs/common';

import { NotFoundError, StateConflictError } from '../common/domain-errors.js';
import { KeyedLock } from '../common/keyed-lock.js';
import { DatabaseService } from '../database/database.service.js';
import { Prisma, type Auction, type PrismaClient } from '../generated/prisma/client.js';
import { AuctionCache } from './auction-cache.js';
import { DEFAULT_SETTINGS, mergeSettings, settingsFromRow, settingsToColumns, type AuctionSettings } from './auction-settings.js';
import { toAuctionView, type AuctionView } from './auction-view.js';
import type { ConfigureAuctionDto, CreateAuctionDto } from './dto/auction-settings.dto.js';

/** Creation, configuration and reading of auctions. */
@Injectable()
export class AuctionsService {
  private readonly logger = new Logger(AuctionsService.name);
  private readonly cache = new AuctionCache();

  constructor(
    private readonly database: DatabaseService,
    private readonly locks: KeyedLock,
  ) {}

  /**
   * Creates a draft auction with its first line in the transition log, in
   * one statement rather than a Prisma interactive transaction, which costs
   * several times the CPU (npm run bench:statements).
   * @throws InvalidRequestError for invalid settings.
   */
  async create(body: CreateAuctionDto): Promise<AuctionView> {
    const row = draftRow(crypto.randomUUID(), body.title, mergeSettings(DEFAULT_SETTINGS, body));
    await insertDraft(this.database.prisma, row);
    this.cache.written(row);
    this.logger.log(`auction ${row.id} created as draft`);
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
      const updated = await this.database.prisma.auction.update({
        where: { id: auctionId },
        data: { ...(body.title === undefined ? {} : { title: body.title }), ...settingsToColumns(settings) },
      });
      this.cache.written(updated);
      return updated;
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

  /** Loads an auction row, from memory when it is cached. @throws NotFoundError. */
  async require(auctionId: string): Promise<Auction> {
    const cached = this.cache.get(auctionId);
    if (cached !== undefined) {
      return cached;
    }
    const generation = this.cache.generation;
    const auction = await this.database.prisma.auction.findUnique({ where: { id: auctionId } });
    if (auction === null) {
      throw new NotFoundError(`auction ${auctionId} not found`);
    }
    this.cache.remember(auction, generation);
    return auction;
  }

  /** Records a committed update of an auction row, which every writer of the row reports here. */
  written(row: Auction): void {
    this.cache.written(row);
  }

  /** Records committed changes of an auction's bid counts. */
  countsChanged(auctionId: string, counts: Partial<Pick<Auction, 'sealedBids' | 'sealedReserves'>>): void {
    this.cache.changed(auctionId, counts);
  }

  /** Records committed changes of some columns, and returns the cached row with them, or undefined when it is not cached. */
  changed(auctionId: string, fields: Partial<Auction>): Auction | undefined {
    return this.cache.changed(auctionId, fields);
  }

  /** Drops a cached row that turned out stale. */
  forget(auctionId: string): void {
    this.cache.forget(auctionId);
  }

  /** Builds the public view of a row; the row carries its bid count, kept current by every acceptance and exclusion. */
  async view(row: Auction): Promise<AuctionView> {
    return toAuctionView(row, row.sealedBids, row.sealedReserves > 0);
  }
}

/** Builds the row of a new draft auction as the database stores it. */
function draftRow(id: string, title: string, settings: AuctionSettings): Auction {
  const columns = settingsToColumns(settings);
  const now = new Date();
  return {
    id,
    title,
    state: 'draft',
    stateReason: null,
    ...columns,
    reserve: columns.reserve === null ? null : new Prisma.Decimal(columns.reserve),
    minPrice: columns.minPrice === null ? null : new Prisma.Decimal(columns.minPrice),
    sealedBids: 0,
    sealedReserves: 0,
    openedAt: null,
    closedAt: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** Inserts a draft auction row and its first transition line. */
async function insertDraft(client: PrismaClient, row: Auction): Promise<void> {
  await client.$executeRaw`
    WITH created AS (
      INSERT INTO auctions (id, title, state, direction, price, bits, decimals, reserve_kind, reserve, min_price, min_valid_bids,
        ties, disclosure, sealed_bids, sealed_reserves, closes_at, created_at, updated_at)
      VALUES (${row.id}, ${row.title}, 'draft', ${DIRECTION_VALUES[row.direction]}::"Direction", ${row.price}::"PriceRule", ${row.bits}, ${row.decimals},
        ${row.reserveKind}::"ReserveKind", ${row.reserve?.toFixed(0) ?? null}::numeric, ${row.minPrice?.toFixed(0) ?? null}::numeric, ${row.minValidBids},
        ${row.ties}::"TieRule", ${DISCLOSURE_VALUES[row.disclosure]}::"Disclosure", 0, 0, ${row.closesAt}, ${row.createdAt}, ${row.updatedAt})
      RETURNING id, created_at
    )
    INSERT INTO transitions (auction_id, from_state, to_state, at) SELECT id, NULL, 'draft', created_at FROM created`;
}

/** Database values of the Prisma enums whose names differ from them. */
const DIRECTION_VALUES: Record<Auction['direction'], string> = { highest_wins: 'highest-wins', lowest_wins: 'lowest-wins' };
const DISCLOSURE_VALUES: Record<Auction['disclosure'], string> = { public: 'public', amount_only: 'amount-only' };

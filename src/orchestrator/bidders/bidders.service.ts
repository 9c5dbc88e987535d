import { Injectable, Logger } from '@nestjs/common';

import { AuctionsService } from '../auctions/auctions.service.js';
import { InvalidRequestError, NotFoundError, StateConflictError, UnauthorizedError } from '../common/domain-errors.js';
import { KeyedLock } from '../common/keyed-lock.js';
import { DatabaseService } from '../database/database.service.js';
import { AuctionEvents } from '../events/auction-events.js';
import { Prisma } from '../generated/prisma/client.js';
import { createBidderToken, hashBidderToken } from './bidder-token.js';
import type { BidderTokenView, BidderView, ParticipantView, RegisterBidderDto } from './dto/bidder.dto.js';
import { TokenCache, type TokenHolder } from './token-cache.js';

/** The bidder behind a valid token. */
export interface AuthenticatedBidder {
  auctionId: string;
  bidderId: string;
  excludedReason: string | null;
}

const ADMITTING_STATES = new Set(['draft', 'open']);

/** Bidder registry, per-auction tokens and operator exclusions. */
@Injectable()
export class BiddersService {
  private readonly logger = new Logger(BiddersService.name);
  private readonly tokens = new TokenCache();

  constructor(
    private readonly database: DatabaseService,
    private readonly auctions: AuctionsService,
    private readonly locks: KeyedLock,
    private readonly events: AuctionEvents,
  ) {}

  /** Registers a bidder. @throws StateConflictError when the chosen id is taken. */
  async register(body: RegisterBidderDto): Promise<BidderView> {
    const id = body.id ?? crypto.randomUUID();
    try {
      const bidder = await this.database.prisma.bidder.create({ data: { id, name: body.name } });
      this.logger.log(`bidder ${id} registered`);
      return { id: bidder.id, name: bidder.name, createdAt: bidder.createdAt.toISOString() };
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw new StateConflictError(`bidder id ${id} is already registered; choose another id`);
      }
      throw error;
    }
  }

  /** Lists registered bidders in registration order. */
  async list(): Promise<BidderView[]> {
    const bidders = await this.database.prisma.bidder.findMany({ orderBy: { createdAt: 'asc' } });
    return bidders.map((b) => ({ id: b.id, name: b.name, createdAt: b.createdAt.toISOString() }));
  }

  /**
   * Admits a registered bidder to an auction and issues a new token, which
   * replaces any token issued before for the same bidder and auction.
   * @throws NotFoundError, StateConflictError once the auction has closed.
   */
  async issueToken(auctionId: string, bidderId: string): Promise<BidderTokenView> {
    const [issued] = await this.issueTokens(auctionId, [bidderId]);
    return { auctionId, ...issued };
  }

  /**
   * Admits registered bidders to an auction and issues a new token to each,
   * in one statement: all of them are admitted or none.
   * @throws NotFoundError naming the bidders that are not registered, StateConflictError once the auction has closed.
   */
  async issueTokens(auctionId: string, bidderIds: readonly string[]): Promise<Array<{ bidderId: string; token: string }>> {
    if (new Set(bidderIds).size !== bidderIds.length) {
      throw new InvalidRequestError('bidderIds lists a bidder twice: list each bidder once');
    }
    const issued = bidderIds.map((bidderId) => ({ bidderId, token: createBidderToken() }));
    await this.locks.run(auctionId, async () => {
      const holders = await this.admit(auctionId, issued.map(({ bidderId, token }) => ({ bidderId, tokenHash: hashBidderToken(token) })));
      bidderIds.forEach((bidderId) => this.tokens.forget(auctionId, bidderId));
      if (holders.length !== issued.length) {
        await this.raiseAdmissionError(auctionId, bidderIds);
      }
      // Exclusions take the same lock, so none can land between the statement and these lines.
      const generation = this.tokens.generation;
      holders.forEach(({ tokenHash, ...holder }) => this.tokens.set(tokenHash, holder, generation));
    });
    const admitted = bidderIds.length === 1 ? `bidder ${bidderIds[0]}` : `${bidderIds.length} bidders`;
    this.logger.log(`token issued to ${admitted} for auction ${auctionId}`);
    return issued;
  }

  /** Lists the participants of an auction. @throws NotFoundError. */
  async participants(auctionId: string): Promise<ParticipantView[]> {
    await this.auctions.require(auctionId);
    const rows = await this.database.prisma.participant.findMany({
      where: { auctionId },
      include: { bidder: true, exclusion: true },
      orderBy: { issuedAt: 'asc' },
    });
    const withBids = await this.database.prisma.submission.findMany({
      where: { auctionId, kind: 'bid', status: 'accepted' },
      select: { bidderId: true },
    });
    const bidding = new Set(withBids.map((submission) => submission.bidderId));
    return rows.map((row) => ({
      bidderId: row.bidderId,
      name: row.bidder.name,
      issuedAt: row.issuedAt.toISOString(),
      excludedReason: row.exclusion?.reason ?? null,
      hasBid: bidding.has(row.bidderId),
    }));
  }

  /**
   * Excludes a participant before close; its bid, if any, counts as invalid.
   * @throws NotFoundError, StateConflictError once the auction has closed or the bidder is already excluded.
   */
  async exclude(auctionId: string, bidderId: string, reason: string): Promise<void> {
    const sealedBids = await this.locks.run(auctionId, async () => {
      const auction = await this.auctions.require(auctionId);
      if (!ADMITTING_STATES.has(auction.state)) {
        throw new StateConflictError(`auction ${auctionId} is ${auction.state}; bidders can be excluded only before close`);
      }
      const participant = await this.database.prisma.participant.findUnique({
        where: { auctionId_bidderId: { auctionId, bidderId } },
        include: { exclusion: true },
      });
      if (participant === null) {
        throw new NotFoundError(`bidder ${bidderId} is not a participant of auction ${auctionId}`);
      }
      if (participant.exclusion !== null) {
        throw new StateConflictError(`bidder ${bidderId} is already excluded from auction ${auctionId}`);
      }
      const count = await this.storeExclusion(auctionId, bidderId, reason);
      this.tokens.forget(auctionId, bidderId);
      this.auctions.countsChanged(auctionId, { sealedBids: count });
      return count;
    });

    this.logger.log(`bidder ${bidderId} excluded from auction ${auctionId}`);
    this.events.publish({ type: 'bids', auctionId, count: sealedBids });
  }

  /**
   * Resolves a bearer token for an auction.
   * @throws UnauthorizedError when the token is unknown or belongs to another auction.
   */
  async authenticate(auctionId: string, token: string): Promise<AuthenticatedBidder> {
    const tokenHash = hashBidderToken(token);
    const participant = this.tokens.get(tokenHash) ?? (await this.readHolder(tokenHash));
    if (participant === undefined || participant.auctionId !== auctionId) {
      throw new UnauthorizedError(`invalid bidder token for auction ${auctionId}: ask the operator for a token`);
    }
    return { auctionId, bidderId: participant.bidderId, excludedReason: participant.excludedReason };
  }

  // One joined read instead of Prisma's two (participant, then exclusion), run once per token and cached.
  private async readHolder(tokenHash: string): Promise<TokenHolder | undefined> {
    const generation = this.tokens.generation;
    const rows = await this.database.prisma.$queryRaw<TokenHolder[]>`
      SELECT p.auction_id AS "auctionId", p.bidder_id AS "bidderId", e.reason AS "excludedReason"
      FROM participants p
      LEFT JOIN exclusions e ON e.auction_id = p.auction_id AND e.bidder_id = p.bidder_id
      WHERE p.token_hash = ${tokenHash}`;
    const holder = rows[0];
    if (holder !== undefined) {
      this.tokens.set(tokenHash, holder, generation);
    }
    return holder;
  }

  // The exclusion and the bid count it lowers commit together; returns the count of sealed bids after it.
  private async storeExclusion(auctionId: string, bidderId: string, reason: string): Promise<number> {
    const rows = await this.database.prisma.$queryRaw<Array<{ sealedBids: number }>>`
      WITH excluded AS (
        INSERT INTO exclusions (auction_id, bidder_id, reason, created_at)
        VALUES (${auctionId}, ${bidderId}, ${reason}, ${new Date()})
        RETURNING bidder_id
      )
      UPDATE auctions SET sealed_bids = sealed_bids - CASE WHEN EXISTS (
        SELECT 1 FROM submissions
        WHERE auction_id = ${auctionId} AND bidder_id = ${bidderId} AND kind = 'bid' AND status = 'accepted'
      ) THEN 1 ELSE 0 END
      WHERE id = ${auctionId} AND EXISTS (SELECT 1 FROM excluded)
      RETURNING sealed_bids AS "sealedBids"`;
    return rows[0].sealedBids;
  }

  /**
   * Stores the tokens in one statement when the auction admits bidders and
   * every bidder is registered, and stores none otherwise. Returns the
   * participants the tokens now resolve to, with any exclusion from an
   * earlier token.
   */
  private async admit(auctionId: string, requested: Array<{ bidderId: string; tokenHash: string }>): Promise<Array<TokenHolder & { tokenHash: string }>> {
    const items = JSON.stringify(requested.map(({ bidderId, tokenHash }) => ({ bidder_id: bidderId, token_hash: tokenHash })));
    return this.database.prisma.$queryRaw<Array<TokenHolder & { tokenHash: string }>>`
      WITH requested AS (
        SELECT * FROM jsonb_to_recordset(${items}::jsonb) AS r(bidder_id text, token_hash text)
      )
      INSERT INTO participants (auction_id, bidder_id, token_hash, issued_at)
      SELECT a.id, requested.bidder_id, requested.token_hash, ${new Date()}
      FROM auctions a, requested
      WHERE a.id = ${auctionId} AND a.state::text IN ('draft', 'open')
        AND NOT EXISTS (SELECT 1 FROM requested r LEFT JOIN bidders b ON b.id = r.bidder_id WHERE b.id IS NULL)
      ON CONFLICT (auction_id, bidder_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, issued_at = EXCLUDED.issued_at
      RETURNING auction_id AS "auctionId", bidder_id AS "bidderId", token_hash AS "tokenHash",
        (SELECT reason FROM exclusions e WHERE e.auction_id = participants.auction_id AND e.bidder_id = participants.bidder_id) AS "excludedReason"`;
  }

  /** Raises NotFoundError or StateConflictError naming why the bidders were not admitted. */
  private async raiseAdmissionError(auctionId: string, bidderIds: readonly string[]): Promise<never> {
    const auction = await this.auctions.require(auctionId);
    if (!ADMITTING_STATES.has(auction.state)) {
      throw new StateConflictError(`auction ${auctionId} is ${auction.state}; bidders can be admitted only while draft or open`);
    }
    await this.requireBidders(bidderIds);
    throw new StateConflictError(`bidders could not be admitted to auction ${auctionId}; retry the request`);
  }

  private async requireBidders(bidderIds: readonly string[]): Promise<void> {
    const found = await this.database.prisma.bidder.findMany({ where: { id: { in: [...bidderIds] } }, select: { id: true } });
    const known = new Set(found.map((bidder) => bidder.id));
    const missing = bidderIds.filter((bidderId) => !known.has(bidderId));
    if (missing.length === 1) {
      throw new NotFoundError(`bidder ${missing[0]} is not registered: register it with POST /v1/bidders first`);
    }
    if (missing.length > 1) {
      const listed = missing.length > 10 ? `${missing.slice(0, 10).join(', ')} and ${missing.length - 10} more` : missing.join(', ');
      throw new NotFoundError(`bidders ${listed} are not registered: register them with POST /v1/bidders first`);
    }
  }

  /** Rejects a missing token header, and one that is not "Bearer <token>" with a token of the issued form. */
  static parseBearer(header: string | undefined): string {
    if (header === undefined || header.trim() === '') {
      throw new UnauthorizedError('missing bidder token: send it as "Authorization: Bearer <token>"');
    }
    const match = /^Bearer ([A-Za-z0-9_-]{16,200})$/.exec(header);
    if (match === null) {
      throw new UnauthorizedError('invalid bidder token: send the token the operator issued, as "Authorization: Bearer <token>"');
    }
    return match[1];
  }
}

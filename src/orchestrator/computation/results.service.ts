import { Injectable } from '@nestjs/common';

import type { PublicOutcome, SubmissionSet } from '../../crypto/index.js';
import { formatAmount, settingsFromRow } from '../auctions/auction-settings.js';
import type { AuthenticatedBidder } from '../bidders/bidders.service.js';
import { NotFoundError } from '../common/domain-errors.js';
import { DatabaseService } from '../database/database.service.js';
import type { Auction, Computation, Prisma, Result } from '../generated/prisma/client.js';
import type { Agreement, CollectedResult, ResultSignature } from './result-agreement.js';
import type { ResultView } from './result-view.js';

/** The sealed won-bit shares of one bidder, one per evaluator. */
export interface WonBitView {
  auctionId: string;
  runId: string;
  bidderId: string;
  submissionId: string;
  shares: Array<{ evaluator: number; sealed: unknown }>;
}

/** Number of result views held in memory before the map starts over. */
const MAX_CACHED_VIEWS = 10_000;

/**
 * Storage and reading of published results. A published result never
 * changes, so its view stays in memory once built. The operator and every
 * bidder's browser read it, and building it reads the submission set.
 */
@Injectable()
export class ResultsService {
  private readonly views = new Map<string, ResultView>();

  constructor(private readonly database: DatabaseService) {}

  /**
   * Writes the agreed result and the sealed won-bit shares inside the
   * settling transaction, and returns the result's view, to be passed to
   * keep once that transaction has committed.
   */
  async store(
    tx: Prisma.TransactionClient,
    auction: Auction,
    computation: Computation,
    agreement: Extract<Agreement, { agreed: true }>,
    collected: CollectedResult[],
  ): Promise<ResultView> {
    const result = await tx.result.create({
      data: {
        auctionId: computation.auctionId,
        runId: computation.runId,
        setHash: computation.setHash,
        outcome: agreement.outcome as unknown as Prisma.InputJsonValue,
        signatures: agreement.signatures as unknown as Prisma.InputJsonValue,
      },
    });

    const set = computation.submissions as unknown as SubmissionSet;
    const listed = new Set(set.bids.map((bid) => bid.submissionId));
    const seals = collected.flatMap((entry) =>
      'result' in entry && entry.result.wonBits !== null && entry.result.wonBits !== undefined
        ? entry.result.wonBits
            .filter((wonBit) => listed.has(wonBit.submissionId))
            .map((wonBit) => ({ submissionId: wonBit.submissionId, party: entry.party, sealed: wonBit.sealed as unknown as Prisma.InputJsonValue }))
        : [],
    );
    if (seals.length > 0) {
      await tx.wonBitSeal.createMany({ data: seals });
    }
    return resultView(auction, result, set);
  }

  /** Keeps the view of a committed result for later reads. */
  keep(view: ResultView): void {
    if (this.views.size >= MAX_CACHED_VIEWS) {
      this.views.clear();
    }
    this.views.set(view.auctionId, view);
  }

  /** Returns the published result. @throws NotFoundError when there is none yet. */
  async get(auctionId: string): Promise<ResultView> {
    const cached = this.views.get(auctionId);
    if (cached !== undefined) {
      return cached;
    }
    const auction = await this.database.prisma.auction.findUnique({ where: { id: auctionId }, include: { result: true } });
    if (auction === null) {
      throw new NotFoundError(`auction ${auctionId} not found`);
    }
    const result = auction.result;
    if (result === null) {
      throw new NotFoundError(`auction ${auctionId} has no result: it is ${auction.state}`);
    }
    const computation = await this.database.prisma.computation.findUniqueOrThrow({ where: { runId: result.runId } });
    const view = resultView(auction, result, computation.submissions as unknown as SubmissionSet);
    this.keep(view);
    return view;
  }

  /** Returns the ordered submission set of the auction's latest computation (operator view). @throws NotFoundError. */
  async submissionSet(auctionId: string): Promise<SubmissionSet & { runId: string; submissionSetHash: string }> {
    const computation = await this.database.prisma.computation.findFirst({ where: { auctionId }, orderBy: { attempt: 'desc' } });
    if (computation === null) {
      throw new NotFoundError(`auction ${auctionId} has no computation yet: the set is fixed when the auction closes`);
    }
    return { ...(computation.submissions as unknown as SubmissionSet), runId: computation.runId, submissionSetHash: computation.setHash };
  }

  /**
   * Returns the bidder's sealed won-bit shares under amount-only disclosure.
   * @throws NotFoundError when there is no result or the bidder has no shares.
   */
  async wonBit(bidder: AuthenticatedBidder): Promise<WonBitView> {
    const result = await this.database.prisma.result.findUnique({ where: { auctionId: bidder.auctionId } });
    if (result === null) {
      throw new NotFoundError(`auction ${bidder.auctionId} has no result yet`);
    }
    const computation = await this.database.prisma.computation.findUniqueOrThrow({ where: { runId: result.runId } });
    const entry = (computation.submissions as unknown as SubmissionSet).bids.find((bid) => bid.bidderId === bidder.bidderId);
    if (entry === undefined) {
      throw new NotFoundError(`bidder ${bidder.bidderId} had no bid in the computation of auction ${bidder.auctionId}`);
    }
    const seals = await this.database.prisma.wonBitSeal.findMany({ where: { submissionId: entry.submissionId }, orderBy: { party: 'asc' } });
    if (seals.length === 0) {
      throw new NotFoundError(`no won-bit shares for bidder ${bidder.bidderId}: they exist only under amount-only disclosure with a sale`);
    }
    return {
      auctionId: bidder.auctionId,
      runId: result.runId,
      bidderId: bidder.bidderId,
      submissionId: entry.submissionId,
      shares: seals.map((seal) => ({ evaluator: seal.party, sealed: seal.sealed })),
    };
  }

}

/** Builds the public view of a stored result over its submission set. */
function resultView(auction: Auction, result: Result, set: SubmissionSet): ResultView {
  const outcome = result.outcome as unknown as PublicOutcome;
  return {
    auctionId: auction.id,
    runId: result.runId,
    submissionSetHash: result.setHash,
    outcome,
    price: formatAmount(settingsFromRow(auction), outcome.price === null ? null : BigInt(outcome.price)),
    winnerBidderId: outcome.winner === null ? null : (set.bids[outcome.winner]?.bidderId ?? null),
    signatures: result.signatures as unknown as ResultSignature[],
    publishedAt: result.publishedAt.toISOString(),
  };
}

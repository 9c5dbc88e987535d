import { Inject, Injectable, Logger } from '@nestjs/common';

import { RESERVE_BIDDER_ID } from '../../client/operator-client.js';
import { envelopeHash, EnvelopeError, fromBase64Url, type Envelope } from '../../crypto/index.js';
import { AuctionsService } from '../auctions/auctions.service.js';
import { settingsFromRow } from '../auctions/auction-settings.js';
import type { AuthenticatedBidder } from '../bidders/bidders.service.js';
import {
  EvaluatorFailureError,
  ForbiddenError,
  InvalidEnvelopeError,
  InvalidRequestError,
  StateConflictError,
} from '../common/domain-errors.js';
import { ORCHESTRATOR_CONFIG } from '../common/tokens.js';
import type { OrchestratorConfig, PinnedEvaluator } from '../config/orchestrator-config.js';
import { DatabaseService } from '../database/database.service.js';
import { EnvelopeBatcher } from '../evaluators/envelope-batcher.js';
import type { SignedReceipt } from '../evaluators/evaluator-types.js';
import { EvaluatorRequestError } from '../evaluators/http-json.js';
import { AuctionEvents } from '../events/auction-events.js';
import type { Auction } from '../generated/prisma/client.js';
import type { SubmissionView, SubmitBidDto, SubmitSealedDto } from './dto/submission.dto.js';
import { LATE_RECEIPT_PROBLEM, receiptProblem, type ExpectedReceipt } from './receipt-check.js';
import { repeatAction } from './submission-repeat.js';
import { SubmissionGroups } from './submission-groups.js';

/** A submission ready to be forwarded: who sends it and the envelopes with their hashes. */
interface Intake {
  auction: Auction;
  bidderId: string;
  kind: 'bid' | 'reserve';
  submissionId: string;
  envelopes: Array<{ party: number; envelope: Envelope; hash: string }>;
  wonBitKey: string | null;
}

/**
 * Sealed submissions: stores each one as pending, forwards every envelope to
 * its evaluator, checks every receipt, and only then accepts the submission
 * (replacing the sender's previous one in the same transaction). If any
 * evaluator fails, the submission is marked failed and the previous bid stays
 * in force.
 */
@Injectable()
export class SubmissionsService {
  private readonly logger = new Logger(SubmissionsService.name);

  constructor(
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
    private readonly database: DatabaseService,
    private readonly auctions: AuctionsService,
    private readonly envelopes: EnvelopeBatcher,
    private readonly groups: SubmissionGroups,
    private readonly events: AuctionEvents,
  ) {}

  /**
   * Accepts a bidder's sealed bid or amendment; created is false for a repeat of an accepted submission.
   * @throws ForbiddenError for an excluded bidder, StateConflictError when the
   *   auction is not open, InvalidRequestError for malformed envelopes,
   *   EvaluatorFailureError when an evaluator does not return a valid receipt.
   */
  async submitBid(bidder: AuthenticatedBidder, body: SubmitBidDto): Promise<{ view: SubmissionView; created: boolean }> {
    if (bidder.excludedReason !== null) {
      throw new ForbiddenError(`bidder ${bidder.bidderId} is excluded from auction ${bidder.auctionId}: ${bidder.excludedReason}`);
    }
    const auction = await this.auctions.require(bidder.auctionId);
    const wonBitKey = this.checkWonBitKey(auction, body.wonBitKey);
    const intake = this.prepare(auction, bidder.bidderId, 'bid', body, wonBitKey);
    return this.process(intake);
  }

  /**
   * Accepts the operator's sealed reserve (or a replacement of it).
   * @throws StateConflictError unless the auction is open with a sealed reserve, and as submitBid.
   */
  async submitReserve(auctionId: string, body: SubmitSealedDto): Promise<{ view: SubmissionView; created: boolean }> {
    const auction = await this.auctions.require(auctionId);
    if (auction.reserveKind !== 'sealed') {
      throw new StateConflictError(`auction ${auctionId} has reserve kind ${auction.reserveKind}; a sealed reserve needs kind "sealed"`);
    }
    return this.process(this.prepare(auction, RESERVE_BIDDER_ID, 'reserve', body, null));
  }

  /** Returns the bidder's submission in force, with its receipts, or null. */
  async current(bidder: AuthenticatedBidder): Promise<SubmissionView | null> {
    const submission = await this.database.prisma.submission.findFirst({
      where: { auctionId: bidder.auctionId, bidderId: bidder.bidderId, kind: 'bid', status: 'accepted' },
      select: { id: true },
    });
    return submission === null ? null : this.viewOf(submission.id, bidder.bidderId);
  }

  private checkOpen(auction: Auction): void {
    const auctionId = auction.id;
    if (auction.state !== 'open') {
      throw new StateConflictError(`auction ${auctionId} is ${auction.state}; sealed submissions are accepted only while it is open`);
    }
    if (auction.closesAt !== null && Date.now() >= auction.closesAt.getTime()) {
      throw new StateConflictError(`auction ${auctionId} closed at ${auction.closesAt.toISOString()} by the orchestrator's clock; the bid is too late`);
    }
  }

  private checkWonBitKey(auction: Auction, wonBitKey: string | undefined): string | null {
    const amountOnly = settingsFromRow(auction).disclosure === 'amount-only';
    if (!amountOnly) {
      if (wonBitKey !== undefined) {
        throw new InvalidRequestError('wonBitKey is only used under amount-only disclosure; omit it for this auction');
      }
      return null;
    }
    if (wonBitKey === undefined) {
      throw new InvalidRequestError('this auction discloses the amount only: send wonBitKey, your X25519 public key for the private won bit');
    }
    if (fromBase64Url(wonBitKey, 'wonBitKey').length !== 32) {
      throw new InvalidRequestError('wonBitKey must be a 32-byte X25519 public key in base64url');
    }
    return wonBitKey;
  }

  private prepare(auction: Auction, bidderId: string, kind: 'bid' | 'reserve', body: SubmitSealedDto, wonBitKey: string | null): Intake {
    const parties = this.config.evaluators.map((evaluator) => evaluator.party);
    const given = body.envelopes.map((item) => item.evaluator).sort((a, b) => a - b);
    if (given.length !== parties.length || given.some((party, index) => party !== parties[index])) {
      throw new InvalidRequestError(
        `expected exactly one envelope for each of evaluators ${parties.join(', ')}, got envelopes for ${given.join(', ') || 'none'}`,
      );
    }

    const envelopes = [...body.envelopes]
      .sort((a, b) => a.evaluator - b.evaluator)
      .map((item) => ({ party: item.evaluator, envelope: item.envelope as Envelope, hash: hashOf(item.envelope as Envelope, item.evaluator) }));
    return { auction, bidderId, kind, submissionId: body.submissionId, envelopes, wonBitKey };
  }

  private async process(intake: Intake): Promise<{ view: SubmissionView; created: boolean }> {
    const answered = await this.answerWhenClosed(intake);
    if (answered !== null) {
      return { view: answered, created: false };
    }

    const stored = await this.storePending(intake);
    if (stored !== null) {
      return { view: stored, created: false };
    }

    const receipts = await this.forward(intake);

    const { replaced, sealedBids } = await this.accept(intake, receipts);
    this.logger.log(`submission ${intake.submissionId} accepted for auction ${intake.auction.id}${replaced === null ? '' : `, replacing ${replaced}`}`);
    if (intake.kind === 'bid') {
      this.events.publish({ type: 'bids', auctionId: intake.auction.id, count: sealedBids });
    }
    const view = { submissionId: intake.submissionId, auctionId: intake.auction.id, bidderId: intake.bidderId, replaces: replaced, receipts };
    return { view, created: true };
  }

  /**
   * Stores a new submission as pending and returns null. For a repeated
   * submission id it returns the stored response, or claims a failed
   * submission for another attempt and returns null.
   * @throws StateConflictError when the id cannot be repeated.
   */
  private async storePending(intake: Intake): Promise<SubmissionView | null> {
    const outcome = await this.groups.insertPending({
      id: intake.submissionId,
      auctionId: intake.auction.id,
      bidderId: intake.kind === 'bid' ? intake.bidderId : null,
      kind: intake.kind,
      wonBitKey: intake.wonBitKey,
      envelopes: intake.envelopes,
    });
    return outcome === 'taken' ? this.repeat(intake) : null;
  }

  /**
   * Outside the open period, returns the stored response to a repeat of an
   * accepted submission, as the evaluators do, and rejects anything else.
   * While open, a repeat is found by its taken id when it is stored.
   * @throws StateConflictError when the auction is not open and this is no such repeat.
   */
  private async answerWhenClosed(intake: Intake): Promise<SubmissionView | null> {
    if (isOpen(intake.auction)) {
      return null;
    }
    const accepted = await this.acceptedRepeat(intake);
    if (accepted === null) {
      this.checkOpen(intake.auction);
    }
    return accepted;
  }

  private async acceptedRepeat(intake: Intake): Promise<SubmissionView | null> {
    const stored = await this.database.prisma.submission.findUnique({ where: { id: intake.submissionId }, include: { envelopes: true } });
    if (stored === null || stored.status !== 'accepted' || repeatAction(stored, { ...intake, auctionId: intake.auction.id }).action !== 'respond') {
      return null;
    }
    return this.viewOf(stored.id, intake.bidderId);
  }

  private async repeat(intake: Intake): Promise<SubmissionView | null> {
    const where = { id: intake.submissionId };
    const stored = await this.database.prisma.submission.findUniqueOrThrow({ where, include: { envelopes: true } });
    const decision = repeatAction(stored, { ...intake, auctionId: intake.auction.id });
    if (decision.action === 'reject') {
      throw new StateConflictError(decision.reason);
    }
    if (decision.action === 'respond') {
      this.logger.log(`submission ${intake.submissionId} of auction ${intake.auction.id} repeated; responding from storage`);
      return this.viewOf(intake.submissionId, intake.bidderId);
    }

    // Only one of several concurrent retries moves the submission from failed back to pending.
    const { count } = await this.database.prisma.submission.updateMany({
      where: { ...where, status: 'failed' },
      data: { status: 'pending', failureReason: null },
    });
    if (count === 0) {
      throw new StateConflictError(`submission ${intake.submissionId} is still being forwarded to the evaluators; retry in a moment`);
    }
    this.logger.log(`submission ${intake.submissionId} of auction ${intake.auction.id} failed before; forwarding it again`);
    return null;
  }

  private async viewOf(submissionId: string, bidderId: string): Promise<SubmissionView> {
    const submission = await this.database.prisma.submission.findUniqueOrThrow({
      where: { id: submissionId },
      include: { receipts: { orderBy: { party: 'asc' } } },
    });
    return {
      submissionId: submission.id,
      auctionId: submission.auctionId,
      bidderId,
      replaces: submission.replacesId,
      receipts: submission.receipts.map((row) => row.receipt as unknown as SignedReceipt),
    };
  }

  /** Forwards every envelope in parallel and returns the checked receipts in party order. */
  private async forward(intake: Intake): Promise<SignedReceipt[]> {
    const outcomes = await Promise.all(intake.envelopes.map((item) => this.forwardOne(intake, item)));
    const failures = outcomes.filter((outcome): outcome is ForwardFailure => 'problem' in outcome);
    if (failures.length === 0) {
      return outcomes.map((outcome) => (outcome as { receipt: SignedReceipt }).receipt);
    }

    const reason = failures.map((failure) => `evaluator ${failure.party} ${failure.problem}`).join('; ');
    await this.database.prisma.submission.update({
      where: { id: intake.submissionId },
      data: { status: 'failed', failureReason: reason },
    });
    this.logger.warn(`submission ${intake.submissionId} for auction ${intake.auction.id} failed: ${reason}`);
    if (failures.every((failure) => failure.lateReceipt !== undefined)) {
      const receipts = failures.map((failure) => failure.lateReceipt);
      throw new StateConflictError(`the bid arrived after auction ${intake.auction.id} closed: ${reason}`).withDetails({ receipts });
    }
    if (failures.every((failure) => failure.invalidEnvelope === true)) {
      throw new InvalidEnvelopeError(`submission rejected, and any previous bid is still in force: ${reason}; seal the bid again with a fresh submission id`);
    }
    throw new EvaluatorFailureError(
      failures[0].party,
      `submission rejected, and any previous bid is still in force: ${reason}; send the same request again once every evaluator is reachable`,
    );
  }

  private async forwardOne(intake: Intake, item: Intake['envelopes'][number]): Promise<{ party: number; receipt: SignedReceipt } | ForwardFailure> {
    const evaluator = this.config.evaluators[item.party - 1];
    const expected = { auctionId: intake.auction.id, bidderId: intake.bidderId, submissionId: intake.submissionId, envelopeHash: item.hash };
    try {
      const receipt = await this.envelopes.submit(evaluator, {
        auctionId: intake.auction.id,
        submissionId: intake.submissionId,
        bidderId: intake.bidderId,
        kind: intake.kind,
        envelope: item.envelope,
        wonBitKey: intake.wonBitKey,
      });
      const problem = receiptProblem(receipt, evaluator, expected);
      return problem === null ? { party: item.party, receipt } : { party: item.party, problem };
    } catch (error) {
      const late = lateReceipt(error, evaluator, expected);
      if (late !== null) {
        return { party: item.party, problem: `${LATE_RECEIPT_PROBLEM}, at ${late.receipt.receivedAt}`, lateReceipt: late };
      }
      const invalidEnvelope = error instanceof EvaluatorRequestError && error.status === 422;
      return { party: item.party, problem: (error as Error).message, invalidEnvelope };
    }
  }

  /** Accepts the submission and supersedes the previous one, atomically and under the auction's lock, in a group with others. */
  private async accept(intake: Intake, receipts: SignedReceipt[]): Promise<{ replaced: string | null; sealedBids: number }> {
    const auctionId = intake.auction.id;
    const outcome = await this.groups.accept({ auctionId, submissionId: intake.submissionId, kind: intake.kind, bidderId: intake.bidderId, receipts });
    if (outcome.auctionState !== 'open') {
      await this.database.prisma.submission.update({
        where: { id: intake.submissionId },
        data: { status: 'failed', failureReason: `auction became ${outcome.auctionState} before every receipt arrived` },
      });
      throw new StateConflictError(`auction ${auctionId} became ${outcome.auctionState} before every evaluator acknowledged the bid`);
    }
    return { replaced: outcome.replaced, sealedBids: outcome.sealedBids };
  }
}

/** An envelope that an evaluator did not acknowledge, and its signed late receipt if it refused it as late. */
interface ForwardFailure {
  party: number;
  problem: string;
  lateReceipt?: SignedReceipt;
  /** Whether the evaluator rejected the envelope itself (HTTP 422), which only a new seal can fix. */
  invalidEnvelope?: boolean;
}

/**
 * Returns the signed receipt with onTime false that an evaluator sends when it
 * rejects an envelope as late, or null when the error is something else or
 * the receipt does not verify against the evaluator's pinned key.
 */
function lateReceipt(error: unknown, evaluator: PinnedEvaluator, expected: ExpectedReceipt): SignedReceipt | null {
  if (!(error instanceof EvaluatorRequestError) || error.code !== 'auction-closed' || error.body === null) {
    return null;
  }
  const signed = { receipt: error.body.receipt, signature: error.body.signature } as SignedReceipt;
  if (typeof signed.receipt !== 'object' || signed.receipt === null) {
    return null;
  }
  return receiptProblem(signed, evaluator, expected) === LATE_RECEIPT_PROBLEM ? signed : null;
}

function isOpen(auction: Auction): boolean {
  return auction.state === 'open' && (auction.closesAt === null || Date.now() < auction.closesAt.getTime());
}

function hashOf(envelope: Envelope, party: number): string {
  try {
    return envelopeHash(envelope);
  } catch (error) {
    if (error instanceof EnvelopeError || error instanceof TypeError) {
      throw new InvalidRequestError(`envelope for evaluator ${party} is malformed: ${error.message}`);
    }
    throw error;
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';

import {
  envelopeHash,
  openEnvelope,
  SealedBoxError,
  signReceipt,
  type Envelope as SealedEnvelope,
  type Receipt,
} from '../../crypto/index.js';
import { P } from '../../mpc/index.js';
import { AuctionsService, auctionRules } from '../auctions/auctions.service.js';
import { badRequest, conflict, DomainError, unprocessable } from '../common/domain-error.js';
import { EVALUATOR_CONFIG, EVALUATOR_KEYS } from '../common/tokens.js';
import type { EvaluatorConfig } from '../config/evaluator-config.js';
import { EvaluatorDatabase } from '../database/evaluator-database.js';
import type { Auction } from '../generated/prisma/client.js';
import type { EvaluatorKeys } from '../keys/index.js';
import type { SubmitEnvelopeDto } from './dto/submit-envelope.dto.js';
import { insertEnvelope, type AcceptedEnvelope, type AuctionGuard, type GuardedEnvelope } from './envelope-store.js';
import { OpenedShares } from './opened-shares.js';

/** A receipt with this evaluator's signature. */
export interface SignedReceipt {
  receipt: Receipt;
  signature: string;
}

/**
 * Envelope intake: checks each envelope by opening it in memory, stores it
 * sealed, and signs a receipt. The opened shares of a stored envelope stay in
 * memory for the auction's run (OpenedShares). Those of an envelope that is
 * not stored are zeroed at once.
 */
@Injectable()
export class IntakeService {
  private readonly logger = new Logger(IntakeService.name);

  constructor(
    private readonly database: EvaluatorDatabase,
    private readonly auctions: AuctionsService,
    @Inject(EVALUATOR_CONFIG) private readonly config: EvaluatorConfig,
    @Inject(EVALUATOR_KEYS) private readonly keys: EvaluatorKeys,
    private readonly opened: OpenedShares,
  ) {}

  /**
   * Accepts an envelope, or returns the stored receipt for a repeated one.
   * @throws DomainError when the auction is unknown, closed or cancelled, the
   *   submission id is taken, or the envelope is invalid.
   */
  async submit(auctionId: string, dto: SubmitEnvelopeDto): Promise<{ signed: SignedReceipt; created: boolean }> {
    const kind = dto.kind ?? 'bid';
    const envelope: SealedEnvelope = { ...dto.envelope };
    const hash = this.hashOf(envelope);

    const cached = this.auctions.cached(auctionId);
    const signed = cached ? await this.acceptCached(cached, dto, kind, envelope, hash) : null;
    if (signed) {
      return { signed, created: true };
    }
    return this.submitFresh(auctionId, dto, kind, envelope, hash, 1);
  }

  /**
   * Runs every intake check against the cached auction row, without touching
   * the database. Returns null when the auction is not cached or a check
   * fails, and submit then handles that envelope.
   */
  checkCached(auctionId: string, dto: SubmitEnvelopeDto): GuardedEnvelope | null {
    const auction = this.auctions.cached(auctionId);
    if (!auction) {
      return null;
    }
    try {
      const envelope: SealedEnvelope = { ...dto.envelope };
      const accepted = this.check(auction, dto, dto.kind ?? 'bid', envelope, this.hashOf(envelope));
      return { accepted, guard: guardOf(auction) };
    } catch (error) {
      if (error instanceof DomainError) {
        return null;
      }
      throw error;
    }
  }

  /**
   * Checks the envelope against the cached auction row and stores it with one
   * guarded statement. Returns null when a check or the guard fails or the
   * submission id is taken, so that submitFresh builds the response from a fresh read,
   * with the repeat check first, exactly as for an uncached auction.
   */
  private async acceptCached(
    auction: Auction,
    dto: SubmitEnvelopeDto,
    kind: EnvelopeKind,
    envelope: SealedEnvelope,
    hash: string,
  ): Promise<SignedReceipt | null> {
    let accepted: AcceptedEnvelope;
    try {
      accepted = this.check(auction, dto, kind, envelope, hash);
    } catch (error) {
      if (error instanceof DomainError) {
        return null;
      }
      throw error;
    }

    const stored = await insertEnvelope(this.database.client, accepted, guardOf(auction)).catch(() => false);
    this.settle(accepted, stored);
    if (!stored) {
      this.auctions.forget(auction.id);
      return null;
    }
    this.logStored(accepted);
    return { receipt: accepted.receipt, signature: accepted.signature };
  }

  // attemptsLeft bounds the re-reads when another request keeps changing the auction between the read and the insert.
  private async submitFresh(
    auctionId: string,
    dto: SubmitEnvelopeDto,
    kind: EnvelopeKind,
    envelope: SealedEnvelope,
    hash: string,
    attemptsLeft: number,
  ): Promise<{ signed: SignedReceipt; created: boolean }> {
    const auction = await this.auctions.get(auctionId);
    const repeated = await this.findRepeat(auctionId, dto, kind, hash);
    if (repeated) {
      return { signed: repeated, created: false };
    }

    let accepted: AcceptedEnvelope;
    try {
      accepted = this.check(auction, dto, kind, envelope, hash);
    } catch (error) {
      this.logRejection(error, auction.id, dto.submissionId);
      throw error;
    }

    const stored = await this.store(accepted, guardOf(auction));
    if (stored !== 'guard-failed') {
      return stored;
    }
    this.auctions.forget(auctionId);
    if (attemptsLeft > 0) {
      return this.submitFresh(auctionId, dto, kind, envelope, hash, attemptsLeft - 1);
    }
    throw conflict('auction-changed', `auction ${auctionId} kept changing while envelope ${dto.submissionId} was stored; it was not stored, so repeat the request`);
  }

  /** Runs every intake check and signs the receipt; throws the DomainError of the first failed check. */
  private check(auction: Auction, dto: SubmitEnvelopeDto, kind: EnvelopeKind, envelope: SealedEnvelope, hash: string): AcceptedEnvelope {
    const receipt = this.receiptFor(auction, dto, hash, new Date());
    this.checkOpen(auction, receipt);
    const wonBitKey = this.checkKind(auction, dto, kind);

    const shares = this.openChecked(auction, envelope, dto, wonBitKey);

    let signature: string;
    try {
      signature = signReceipt(receipt, this.keys.signing.secretKey);
    } catch (error) {
      shares.fill(0);
      throw error;
    }
    return { auctionId: auction.id, submissionId: dto.submissionId, bidderId: dto.bidderId, kind, envelope, wonBitKey, receipt, signature, shares };
  }

  /**
   * Keeps the opened shares of an envelope for the auction's run once it is
   * stored, and zeroes them otherwise.
   */
  settle(accepted: AcceptedEnvelope, stored: boolean): void {
    const shares = accepted.shares;
    accepted.shares = SETTLED;
    // A cancel that ran between the insert and this call has already wiped the auction's vectors.
    if (!stored || this.auctions.cached(accepted.auctionId)?.state === 'cancelled') {
      shares.fill(0);
      return;
    }
    const { submissionId, bidderId, kind, wonBitKey, receipt } = accepted;
    this.opened.keep(accepted.auctionId, { submissionId, bidderId, kind, wonBitKey, hash: receipt.envelopeHash }, shares);
  }

  // onTime compares with the closing time by this evaluator's clock, whatever the orchestrator's clock shows.
  private receiptFor(auction: Auction, dto: SubmitEnvelopeDto, hash: string, receivedAt: Date): Receipt {
    return {
      auctionId: auction.id,
      bidderId: dto.bidderId,
      submissionId: dto.submissionId,
      evaluator: this.config.index,
      envelopeHash: hash,
      receivedAt: receivedAt.toISOString(),
      onTime: receivedAt.getTime() < auction.closesAt.getTime(),
    };
  }

  private hashOf(envelope: SealedEnvelope): string {
    try {
      return envelopeHash(envelope);
    } catch (error) {
      throw unprocessable('invalid-envelope', (error as Error).message);
    }
  }

  private async findRepeat(auctionId: string, dto: Pick<SubmitEnvelopeDto, 'submissionId' | 'bidderId'>, kind: string, hash: string): Promise<SignedReceipt | null> {
    const existing = await this.database.client.envelope.findUnique({
      where: { auctionId_submissionId: { auctionId, submissionId: dto.submissionId } },
      include: { receipt: true },
    });
    if (!existing) {
      return null;
    }
    if (existing.bidderId !== dto.bidderId || existing.kind !== kind || existing.hash !== hash || !existing.receipt) {
      throw conflict(
        'submission-conflict',
        `submission ${dto.submissionId} of auction ${auctionId} already has another envelope; use a new submission id for an amendment`,
      );
    }
    return { receipt: existing.receipt.receipt as unknown as Receipt, signature: existing.receipt.signature };
  }

  /**
   * Rejects an envelope for an auction that is no longer open. A late envelope
   * gets a signed receipt with onTime false in the error body: the bidder's
   * proof of when this evaluator received it. The envelope is not stored.
   */
  private checkOpen(auction: Auction, receipt: Receipt): void {
    if (auction.state === 'cancelled') {
      throw conflict('auction-cancelled', `auction ${auction.id} was cancelled`);
    }
    if (auction.state === 'open' && receipt.onTime) {
      return;
    }
    const message =
      `auction ${auction.id} closed at ${auction.closesAt.toISOString()} by this evaluator's clock, ` +
      `and the envelope arrived at ${receipt.receivedAt}; it was not stored`;
    if (receipt.onTime) {
      throw conflict('auction-closed', message);
    }
    throw conflict('auction-closed', message, { receipt, signature: signReceipt(receipt, this.keys.signing.secretKey) });
  }

  private checkKind(auction: Auction, dto: SubmitEnvelopeDto, kind: string): string | null {
    const rules = auctionRules(auction);
    if (kind === 'reserve') {
      if (rules.reserve?.kind !== 'sealed') {
        throw badRequest('reserve-not-sealed', `auction ${auction.id} has no sealed reserve, so it takes no reserve envelope`);
      }
      return null;
    }
    if (rules.disclosure === 'amount-only' && !dto.wonBitKey) {
      throw badRequest('won-bit-key-missing', `auction ${auction.id} discloses only the amount, so a bid needs wonBitKey`);
    }
    return rules.disclosure === 'amount-only' ? (dto.wonBitKey ?? null) : null;
  }

  // Under amount-only the bidder bound its won-bit key into the envelope, so a swapped key fails to open here.
  private openChecked(auction: Auction, envelope: SealedEnvelope, dto: SubmitEnvelopeDto, wonBitKey: string | null): Uint32Array {
    const binding = { auctionId: auction.id, bidderId: dto.bidderId, submissionId: dto.submissionId, evaluator: this.config.index, wonBitKey };
    const options = { shares: auctionRules(auction).bits, modulus: P };
    try {
      return openEnvelope(envelope, this.keys.sealing.secretKey, binding, options);
    } catch (error) {
      if (error instanceof SealedBoxError || error instanceof TypeError) {
        throw unprocessable('invalid-envelope', error.message);
      }
      throw error;
    }
  }

  /** Stores an accepted envelope. A taken submission id returns the stored receipt of a repeat, or raises the insert's error. */
  private async store(accepted: AcceptedEnvelope, guard: AuctionGuard): Promise<{ signed: SignedReceipt; created: boolean } | 'guard-failed'> {
    const { auctionId, submissionId, kind, receipt, signature } = accepted;
    let stored = false;
    try {
      stored = await insertEnvelope(this.database.client, accepted, guard);
    } catch (error) {
      this.settle(accepted, false);
      // A concurrent request with the same submission id won the insert, so respond as for a repeat.
      const dto = { submissionId, bidderId: accepted.bidderId };
      const repeated = await this.findRepeat(auctionId, dto, kind, receipt.envelopeHash);
      if (repeated) {
        return { signed: repeated, created: false };
      }
      throw error;
    }
    this.settle(accepted, stored);
    if (!stored) {
      return 'guard-failed';
    }
    this.logStored(accepted);
    return { signed: { receipt, signature }, created: true };
  }

  private logStored(accepted: AcceptedEnvelope): void {
    this.logger.log(`stored envelope ${accepted.submissionId} (${accepted.kind}) of bidder ${accepted.bidderId} for auction ${accepted.auctionId}`);
  }

  // Late and unopenable envelopes are logged. The other rejections only return an error response.
  private logRejection(error: unknown, auctionId: string, submissionId: string): void {
    if (error instanceof DomainError && (error.code === 'invalid-envelope' || error.code === 'auction-closed')) {
      this.logger.warn(`rejected envelope ${submissionId} of auction ${auctionId} (${error.code}): ${error.message}`);
    }
  }
}

type EnvelopeKind = AcceptedEnvelope['kind'];

/** The shares of an accepted envelope once settled: kept by OpenedShares or zeroed, and no longer reachable from it. */
const SETTLED = new Uint32Array(0);

/** Returns the auction fields that the intake checks rely on and the insert checks again. */
function guardOf(auction: Auction): AuctionGuard {
  return { closesAt: auction.closesAt, rules: auction.rules };
}

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
import { badRequest, conflict, unprocessable } from '../common/domain-error.js';
import { EVALUATOR_CONFIG, EVALUATOR_KEYS } from '../common/tokens.js';
import type { EvaluatorConfig } from '../config/evaluator-config.js';
import { EvaluatorDatabase } from '../database/evaluator-database.js';
import type { Auction } from '../generated/prisma/client.js';
import type { EvaluatorKeys } from '../keys/index.js';
import type { SubmitEnvelopeDto } from './dto/submit-envelope.dto.js';
import { insertEnvelope } from './envelope-store.js';

/** A receipt with this evaluator's signature. */
export interface SignedReceipt {
  receipt: Receipt;
  signature: string;
}

/**
 * Envelope intake: checks each envelope by opening it in memory, stores it
 * sealed, and signs a receipt. The opened shares are zeroed at once.
 */
@Injectable()
export class IntakeService {
  private readonly logger = new Logger(IntakeService.name);

  constructor(
    private readonly database: EvaluatorDatabase,
    private readonly auctions: AuctionsService,
    @Inject(EVALUATOR_CONFIG) private readonly config: EvaluatorConfig,
    @Inject(EVALUATOR_KEYS) private readonly keys: EvaluatorKeys,
  ) {}

  /**
   * Accepts an envelope, or returns the stored receipt for a repeated one.
   * @throws DomainError when the auction is unknown, closed or cancelled, the
   *   submission id is taken, or the envelope is invalid.
   */
  async submit(auctionId: string, dto: SubmitEnvelopeDto): Promise<{ signed: SignedReceipt; created: boolean }> {
    const auction = await this.auctions.get(auctionId);
    const kind = dto.kind ?? 'bid';
    const envelope: SealedEnvelope = { ...dto.envelope };
    const hash = this.hashOf(envelope);

    const repeated = await this.findRepeat(auctionId, dto, kind, hash);
    if (repeated) {
      return { signed: repeated, created: false };
    }

    const receivedAt = new Date();
    const receipt = this.receiptFor(auction, dto, hash, receivedAt);
    this.checkOpen(auction, receipt);
    const wonBitKey = this.checkKind(auction, dto, kind);
    this.checkEnvelope(auction, envelope, dto, wonBitKey);

    const signed = { receipt, signature: signReceipt(receipt, this.keys.signing.secretKey) };
    return this.store(auctionId, dto, kind, envelope, wonBitKey, signed);
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

  private async findRepeat(auctionId: string, dto: SubmitEnvelopeDto, kind: string, hash: string): Promise<SignedReceipt | null> {
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
    this.logger.warn(`rejected late envelope ${receipt.submissionId} of auction ${auction.id} received at ${receipt.receivedAt}`);
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
  private checkEnvelope(auction: Auction, envelope: SealedEnvelope, dto: SubmitEnvelopeDto, wonBitKey: string | null): void {
    const binding = { auctionId: auction.id, bidderId: dto.bidderId, submissionId: dto.submissionId, evaluator: this.config.index, wonBitKey };
    const options = { shares: auctionRules(auction).bits, modulus: P };
    try {
      openEnvelope(envelope, this.keys.sealing.secretKey, binding, options).fill(0);
    } catch (error) {
      if (error instanceof SealedBoxError || error instanceof TypeError) {
        this.logger.warn(`rejected envelope ${dto.submissionId} of auction ${auction.id}: ${error.message}`);
        throw unprocessable('invalid-envelope', error.message);
      }
      throw error;
    }
  }

  private async store(
    auctionId: string,
    dto: SubmitEnvelopeDto,
    kind: 'bid' | 'reserve',
    envelope: SealedEnvelope,
    wonBitKey: string | null,
    signed: SignedReceipt,
  ): Promise<{ signed: SignedReceipt; created: boolean }> {
    const { receipt, signature } = signed;
    try {
      await insertEnvelope(this.database.client, {
        auctionId,
        submissionId: dto.submissionId,
        bidderId: dto.bidderId,
        kind,
        envelope,
        wonBitKey,
        receipt,
        signature,
      });
    } catch (error) {
      // A concurrent request with the same submission id won the insert, so respond as for a repeat.
      const repeated = await this.findRepeat(auctionId, dto, kind, receipt.envelopeHash);
      if (repeated) {
        return { signed: repeated, created: false };
      }
      throw error;
    }
    this.logger.log(`stored envelope ${dto.submissionId} (${kind}) of bidder ${dto.bidderId} for auction ${auctionId}`);
    return { signed, created: true };
  }
}

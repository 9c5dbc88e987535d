/**
 * The bidder SDK: seals a bid so that no single server can read it, submits
 * it through the orchestrator, verifies every evaluator's receipt, and later
 * verifies the published result (and, under amount-only disclosure, opens
 * the bidder's own won bit).
 */
import { fromBase64Url, generateSealingKeyPair, openWonBit, toBase64Url } from '../crypto/index.js';
import { reconstructSecret } from '../mpc/shamir/shamir.js';
import { toMinorUnits } from './amount.js';
import { VerificationError } from './errors.js';
import { ApiTransport, type FetchFunction } from './http.js';
import { sealAmount } from './seal.js';
import type { AuctionInfo, BidderInfo, BiddingContext, EvaluatorKeys, EvaluatorSet, ResultInfo, SubmissionResponse, WonBitShares } from './types.js';
import { checkEvaluatorSet, verifyReceipts, verifyResultSignatures } from './verify.js';

export interface BidderClientOptions {
  /** Orchestrator base URL, such as http://127.0.0.1:8080. */
  baseUrl: string;
  auctionId: string;
  /** Bidder token issued by the operator for this auction. */
  token: string;
  /** Evaluator keys obtained out of band; when given, the orchestrator's list must match them. */
  pinnedEvaluators?: EvaluatorKeys[];
  fetch?: FetchFunction;
}

/** A bid that every evaluator has acknowledged. */
export interface SubmittedBid {
  submissionId: string;
  replaces: string | null;
  receipts: SubmissionResponse['receipts'];
  /** Hash of the envelope sealed to each evaluator, which its receipt names; keep them to re-check the receipts later. */
  envelopeHashes: Array<{ evaluator: number; hash: string }>;
  /**
   * Under amount-only disclosure: the X25519 secret key (base64url) that
   * opens this bid's won bit. Keep it private until the result is out.
   */
  wonBitSecretKey: string | null;
}

/** The inputs of sealing a bid: the auction's format, the evaluator set and this bidder's id. */
interface SealingContext {
  auction: AuctionInfo;
  set: EvaluatorSet;
  bidderId: string;
}

/**
 * SDK for one bidder in one auction. The client reads the auction, the
 * evaluator set and its own bidder id once and keeps them for later bids:
 * the settings and the evaluators cannot change once the auction is open.
 * A draft auction, or a failed submission, makes it read them again.
 */
export class BidderClient {
  private readonly api: ApiTransport;
  private context: Promise<SealingContext> | null = null;
  private evaluatorSet: Promise<EvaluatorSet> | null = null;

  constructor(private readonly options: BidderClientOptions) {
    this.api = new ApiTransport(options.baseUrl, { authorization: `Bearer ${options.token}` }, options.fetch);
  }

  /** Fetches the auction. @throws SealbidApiError. */
  getAuction(): Promise<AuctionInfo> {
    return this.api.request<AuctionInfo>('GET', `/auctions/${this.options.auctionId}`);
  }

  /** Fetches the evaluator set and checks it against the pinned keys. @throws SealbidApiError, VerificationError. */
  async getEvaluators(): Promise<EvaluatorSet> {
    const set = await this.api.request<EvaluatorSet>('GET', '/evaluators');
    return checkEvaluatorSet(set, this.options.pinnedEvaluators);
  }

  /** Fetches who this token belongs to, its exclusion and its bid in force. @throws SealbidApiError. */
  me(): Promise<BidderInfo> {
    return this.api.request<BidderInfo>('GET', `/auctions/${this.options.auctionId}/me`);
  }

  /**
   * Checks the amount against the auction's format, shares and seals it, submits
   * it (replacing an earlier bid) and verifies every receipt.
   * @param amount decimal string in major units, such as "1250.50".
   * @throws AmountError for an invalid amount, SealbidApiError when the orchestrator
   *   refuses the bid, VerificationError when a receipt does not verify.
   */
  async submitBid(amount: string): Promise<SubmittedBid> {
    try {
      return await this.seal(amount, await this.sealingContext());
    } catch (error) {
      this.context = null;
      this.evaluatorSet = null;
      throw error;
    }
  }

  private async seal(amount: string, { auction, set, bidderId }: SealingContext): Promise<SubmittedBid> {
    const minor = toMinorUnits(amount, auction.settings, 'bid');

    // The won-bit key is bound into every envelope, so the orchestrator cannot swap it for its own.
    const wonBitKeys = auction.settings.disclosure === 'amount-only' ? generateSealingKeyPair() : null;
    const wonBitKey = wonBitKeys === null ? null : toBase64Url(wonBitKeys.publicKey);
    const submissionId = globalThis.crypto.randomUUID();
    const target = { auctionId: auction.id, bidderId, submissionId, bits: auction.settings.bits, wonBitKey };
    const sealed = sealAmount(minor, target, set);

    const response = await this.api.request<SubmissionResponse>('POST', `/auctions/${auction.id}/submissions`, {
      submissionId,
      envelopes: sealed.map((item) => ({ evaluator: item.evaluator, envelope: item.envelope })),
      ...(wonBitKey === null ? {} : { wonBitKey }),
    });
    verifyReceipts(response.receipts, target, sealed, set);

    return {
      submissionId: response.submissionId,
      replaces: response.replaces,
      receipts: response.receipts,
      envelopeHashes: sealed.map((item) => ({ evaluator: item.evaluator, hash: item.hash })),
      wonBitSecretKey: wonBitKeys === null ? null : toBase64Url(wonBitKeys.secretKey),
    };
  }

  /**
   * Fetches the published result and verifies every evaluator's signature.
   * @throws SealbidApiError (404 until published), VerificationError.
   */
  async getResult(): Promise<ResultInfo> {
    const [result, set] = await Promise.all([
      this.api.request<ResultInfo>('GET', `/auctions/${this.options.auctionId}/result`),
      this.cachedEvaluators(),
    ]);
    verifyResultSignatures(result, set);
    return result;
  }

  /**
   * Under amount-only disclosure, opens every evaluator's sealed share of this
   * bidder's won bit and reconstructs it; true means this bid won.
   * @throws SealbidApiError, VerificationError when a share fails to open or the shares disagree.
   */
  async openWonBit(wonBitSecretKey: string): Promise<boolean> {
    const [data, set] = await Promise.all([
      this.api.request<WonBitShares>('GET', `/auctions/${this.options.auctionId}/won-bit`),
      this.cachedEvaluators(),
    ]);
    const secretKey = fromBase64Url(wonBitSecretKey, 'won-bit secret key');
    const shares = data.shares.map((item) => ({ party: item.evaluator, share: this.openShare(data, item, secretKey) }));
    if (shares.length < set.parties) {
      throw new VerificationError(`expected a won-bit share from each of ${set.parties} evaluators, got ${shares.length}`);
    }

    let bit: number;
    try {
      bit = reconstructSecret(shares, set.degree);
    } catch {
      throw new VerificationError('the won-bit shares are inconsistent: an evaluator sent a wrong share');
    }
    if (bit !== 0 && bit !== 1) {
      throw new VerificationError('the won-bit shares do not reconstruct a bit');
    }
    return bit === 1;
  }

  /**
   * Fetches the auction, the checked evaluator set and this bidder in one request.
   * @throws SealbidApiError, VerificationError.
   */
  async getBiddingContext(): Promise<BiddingContext> {
    const context = await this.api.request<BiddingContext>('GET', `/auctions/${this.options.auctionId}/bidding`);
    return { ...context, evaluators: checkEvaluatorSet(context.evaluators, this.options.pinnedEvaluators) };
  }

  private sealingContext(): Promise<SealingContext> {
    if (this.context === null) {
      const loading = this.getBiddingContext().then(({ auction, evaluators, bidder }) => {
        this.evaluatorSet ??= Promise.resolve(evaluators);
        return { auction, set: evaluators, bidderId: bidder.bidderId };
      });
      this.context = loading;
      // A draft's settings may still change, so they are read again for the next bid.
      loading.then((context) => context.auction.state !== 'draft' || this.forget(loading), () => this.forget(loading));
    }
    return this.context;
  }

  private cachedEvaluators(): Promise<EvaluatorSet> {
    if (this.evaluatorSet === null) {
      const loading = this.getEvaluators();
      this.evaluatorSet = loading;
      loading.catch(() => {
        if (this.evaluatorSet === loading) {
          this.evaluatorSet = null;
        }
      });
    }
    return this.evaluatorSet;
  }

  private forget(context: Promise<SealingContext>): void {
    if (this.context === context) {
      this.context = null;
    }
  }

  private openShare(data: WonBitShares, item: WonBitShares['shares'][number], secretKey: Uint8Array): number {
    const binding = { auctionId: data.auctionId, runId: data.runId, bidderId: data.bidderId, submissionId: data.submissionId, evaluator: item.evaluator };
    try {
      return openWonBit(item.sealed, secretKey, binding);
    } catch (error) {
      throw new VerificationError(`evaluator ${item.evaluator}'s won-bit share did not open: ${(error as Error).message}`);
    }
  }
}

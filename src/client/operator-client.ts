/** SDK for the auction operator: auctions, bidders, tokens, exclusions and the sealed reserve. */
import { toMinorUnits } from './amount.js';
import { ApiTransport, type FetchFunction } from './http.js';
import { sealAmount } from './seal.js';
import type { AuctionInfo, EvaluatorSet, ResultInfo, SubmissionResponse } from './types.js';
import { VerificationError } from './errors.js';
import { checkEvaluatorSet, verifyReceipts, verifyResultSignatures } from './verify.js';

/** Settings accepted by create and configure; amounts are decimal strings in major units. */
export interface AuctionSettingsInput {
  direction?: 'highest-wins' | 'lowest-wins';
  price?: 'first' | 'second';
  bits?: number;
  decimals?: number;
  reserve?: { kind: 'none' } | { kind: 'public'; amount: string } | { kind: 'sealed' };
  minPrice?: string | null;
  minValidBids?: number | null;
  ties?: 'earliest' | 'lottery';
  disclosure?: 'public' | 'amount-only';
  closesAt?: string;
}

export interface OperatorClientOptions {
  baseUrl: string;
  apiKey: string;
  fetch?: FetchFunction;
}

/**
 * Bidder id bound into the operator's sealed-reserve envelopes. The colon is
 * valid in evaluator ids but not in registered bidder ids, so no bidder can have it.
 */
export const RESERVE_BIDDER_ID = 'operator:reserve';

/** The operator's client for one orchestrator. */
export class OperatorClient {
  private readonly api: ApiTransport;
  /** The evaluator set as last read, which getResult checks signatures against before it reads the set again. */
  private knownEvaluators: EvaluatorSet | null = null;

  constructor(options: OperatorClientOptions) {
    this.api = new ApiTransport(options.baseUrl, { 'x-api-key': options.apiKey }, options.fetch);
  }

  /** Creates a draft auction. @throws SealbidApiError. */
  createAuction(title: string, settings: AuctionSettingsInput = {}): Promise<AuctionInfo> {
    return this.api.request('POST', '/auctions', { title, ...settings });
  }

  /** Changes the settings of a draft auction. @throws SealbidApiError. */
  configureAuction(auctionId: string, settings: AuctionSettingsInput & { title?: string }): Promise<AuctionInfo> {
    return this.api.request('PATCH', `/auctions/${auctionId}`, settings);
  }

  /** Opens a draft auction, optionally setting its closing time (ISO 8601). @throws SealbidApiError. */
  openAuction(auctionId: string, closesAt?: string): Promise<AuctionInfo> {
    return this.api.request('POST', `/auctions/${auctionId}/open`, closesAt === undefined ? {} : { closesAt });
  }

  /** Closes an open auction now. @throws SealbidApiError. */
  closeAuction(auctionId: string): Promise<AuctionInfo> {
    return this.api.request('POST', `/auctions/${auctionId}/close`, {});
  }

  /** Cancels an auction with a reason. @throws SealbidApiError. */
  cancelAuction(auctionId: string, reason: string): Promise<AuctionInfo> {
    return this.api.request('POST', `/auctions/${auctionId}/cancel`, { reason });
  }

  /** Fetches an auction. @throws SealbidApiError. */
  getAuction(auctionId: string): Promise<AuctionInfo> {
    return this.api.request('GET', `/auctions/${auctionId}`);
  }

  /** Registers a bidder, optionally with a chosen id. @throws SealbidApiError. */
  registerBidder(name: string, id?: string): Promise<{ id: string; name: string }> {
    return this.api.request('POST', '/bidders', id === undefined ? { name } : { name, id });
  }

  /** Admits a registered bidder to an auction and returns its new token. @throws SealbidApiError. */
  async issueToken(auctionId: string, bidderId: string): Promise<string> {
    const issued = await this.api.request<{ token: string }>('POST', `/auctions/${auctionId}/participants`, { bidderId });
    return issued.token;
  }

  /**
   * Admits registered bidders to an auction in one request, all or none, and
   * returns each bidder's new token by bidder id. @throws SealbidApiError.
   */
  async issueTokens(auctionId: string, bidderIds: readonly string[]): Promise<Map<string, string>> {
    const issued = await this.api.request<{ tokens: Array<{ bidderId: string; token: string }> }>('POST', `/auctions/${auctionId}/participants/batch`, { bidderIds });
    return new Map(issued.tokens.map(({ bidderId, token }) => [bidderId, token]));
  }

  /** Excludes a participant before close. @throws SealbidApiError. */
  async excludeBidder(auctionId: string, bidderId: string, reason: string): Promise<void> {
    await this.api.request('POST', `/auctions/${auctionId}/exclusions`, { bidderId, reason });
  }

  /** Lists the participants of an auction. @throws SealbidApiError. */
  participants(auctionId: string): Promise<Array<{ bidderId: string; name: string; excludedReason: string | null; hasBid: boolean }>> {
    return this.api.request('GET', `/auctions/${auctionId}/participants`);
  }

  /** Returns the ordered submission set of the latest computation. @throws SealbidApiError. */
  submissionSet(auctionId: string): Promise<{ runId: string; submissionSetHash: string; bids: Array<{ bidderId: string; submissionId: string }> }> {
    return this.api.request('GET', `/auctions/${auctionId}/submission-set`);
  }

  /** Fetches the evaluator set. @throws SealbidApiError, VerificationError. */
  async getEvaluators(): Promise<EvaluatorSet> {
    const set = checkEvaluatorSet(await this.api.request<EvaluatorSet>('GET', '/evaluators'));
    this.knownEvaluators = set;
    return set;
  }

  /**
   * Seals the reserve as shares for the evaluators and submits it while the
   * auction is open, so the orchestrator never receives the amount in the clear.
   * @throws AmountError, SealbidApiError, VerificationError.
   */
  async submitSealedReserve(auctionId: string, amount: string): Promise<SubmissionResponse> {
    const auction = await this.getAuction(auctionId);
    const minor = toMinorUnits(amount, auction.settings, 'reserve');
    const set = await this.getEvaluators();
    const target = { auctionId, bidderId: RESERVE_BIDDER_ID, submissionId: globalThis.crypto.randomUUID(), bits: auction.settings.bits };
    const sealed = sealAmount(minor, target, set);

    const response = await this.api.request<SubmissionResponse>('POST', `/auctions/${auctionId}/reserve`, {
      submissionId: target.submissionId,
      envelopes: sealed.map((item) => ({ evaluator: item.evaluator, envelope: item.envelope })),
    });
    verifyReceipts(response.receipts, target, sealed, set);
    return response;
  }

  /**
   * Fetches the published result and verifies every signature against the
   * evaluator set read last, reading the set again when they do not verify.
   * @throws SealbidApiError, VerificationError.
   */
  async getResult(auctionId: string): Promise<ResultInfo> {
    const known = this.knownEvaluators;
    const [result, set] = await Promise.all([this.api.request<ResultInfo>('GET', `/auctions/${auctionId}/result`), known ?? this.getEvaluators()]);
    try {
      verifyResultSignatures(result, set);
    } catch (error) {
      if (known === null || !(error instanceof VerificationError)) {
        throw error;
      }
      // The orchestrator may have been restarted with another evaluator set since it was read.
      verifyResultSignatures(result, await this.getEvaluators());
    }
    return result;
  }
}

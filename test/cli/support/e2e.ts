/** Helpers for end-to-end tests that run real service processes through the SDK. */
import { BidderClient, formatMinorUnits, OperatorClient, toMinorUnits, type AuctionSettingsInput, type ResultInfo } from '../../../src/client/index.js';
import { referenceOutcome, type AuctionRules } from '../../../src/mpc/index.js';
import type { Cluster } from '../../../src/cli/cluster.js';

/** A bidder of a test auction with the amount it bid. */
export interface TestBid {
  bidderId: string;
  amount: string;
  client: BidderClient;
  wonBitSecretKey: string | null;
}

/**
 * Returns deterministic amounts in major units with two decimals, from a
 * linear congruential sequence. Every seventh amount repeats the one before
 * it, so the tie rule is exercised.
 */
export function testAmounts(count: number, seed: number): string[] {
  const cents: bigint[] = [];
  let state = seed;
  for (let i = 0; i < count; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    cents.push(i % 7 === 3 ? cents[i - 1] : BigInt((state >> 8) % 500_000));
  }
  return cents.map((value) => formatMinorUnits(value, 2));
}

/** Creates and opens an auction with the given settings, closing at closesInMs from now. */
export async function openAuction(operator: OperatorClient, title: string, settings: AuctionSettingsInput, closesInMs: number): Promise<string> {
  const auction = await operator.createAuction(title, settings);
  await operator.openAuction(auction.id, new Date(Date.now() + closesInMs).toISOString());
  return auction.id;
}

/** Registers one bidder per amount, issues its token and submits its bid in order. */
export async function submitBids(cluster: Cluster, operator: OperatorClient, auctionId: string, amounts: string[], prefix: string): Promise<TestBid[]> {
  const bids: TestBid[] = [];
  for (const [index, amount] of amounts.entries()) {
    bids.push(await submitOne(cluster, operator, auctionId, `${prefix}-${index}`, amount));
  }
  return bids;
}

/** Registers a bidder, issues its token and submits one bid. */
export async function submitOne(cluster: Cluster, operator: OperatorClient, auctionId: string, bidderId: string, amount: string): Promise<TestBid> {
  await operator.registerBidder(`Bidder ${bidderId}`, bidderId);
  const client = new BidderClient({
    baseUrl: cluster.orchestratorUrl,
    auctionId,
    token: await operator.issueToken(auctionId, bidderId),
    pinnedEvaluators: cluster.evaluators.map((evaluator) => ({ party: evaluator.party, signingKey: evaluator.signingKey, sealingKey: evaluator.sealingKey })),
  });
  const submitted = await client.submitBid(amount);
  return { bidderId, amount, client, wonBitSecretKey: submitted.wonBitSecretKey };
}

/** Polls until the auction is settled, failed or cancelled, and returns it. */
export async function waitForEnd(operator: OperatorClient, auctionId: string, timeoutMs = 240_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const auction = await operator.getAuction(auctionId);
    if (['settled', 'failed', 'cancelled'].includes(auction.state)) {
      return auction;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`auction ${auctionId} did not end within ${timeoutMs / 1000} s`);
}

/** Settings of a test auction as far as the plaintext reference needs them. */
export interface ReferenceSettings {
  bits: number;
  decimals: number;
  direction: AuctionRules['direction'];
  price: AuctionRules['price'];
  disclosure?: AuctionRules['disclosure'];
  /** Reserve in major units and whether it was sealed, or null. */
  reserve: { amount: string; sealed: boolean } | null;
}

/** Computes the plaintext outcome for the valid bids in submission order, prices as decimal strings of minor units. */
export function expectedOutcome(amounts: string[], settings: ReferenceSettings) {
  const format = { bits: settings.bits, decimals: settings.decimals };
  const rules: AuctionRules = {
    bits: settings.bits,
    direction: settings.direction,
    price: settings.price,
    ties: 'earliest',
    disclosure: settings.disclosure ?? 'public',
  };
  const reserve = settings.reserve === null ? null : toMinorUnits(settings.reserve.amount, format);
  if (settings.reserve !== null && reserve !== null) {
    rules.reserve = settings.reserve.sealed ? { kind: 'sealed' } : { kind: 'public', amount: reserve };
  }
  const outcome = referenceOutcome(
    amounts.map((amount) => toMinorUnits(amount, format)),
    rules,
    reserve,
  );
  return { ...outcome, price: outcome.price === null ? null : outcome.price.toString() };
}

/** Returns the parts of a published result that the reference determines. */
export function comparable(result: ResultInfo) {
  const { status, noSaleReason, winner, price, validBids } = result.outcome;
  return { status, noSaleReason, winner, price, validBids };
}

import {
  runAuction,
  shareBid,
  type AuctionOutcome,
  type AuctionRules,
  type BidInput,
  type PartyAuctionResult,
} from '../../../src/mpc/index.js';
import { degreeFor, openAll, runParties, settleParties, type PartyOptions } from '../harness.js';

/** One bid as the parties receive it: index 0 is party 1's input. */
export type SharedBid = BidInput[];

/** Shares every amount at n parties with the largest degree n supports. */
export function shareAmounts(amounts: readonly bigint[], bits: number, parties: number): SharedBid[] {
  return amounts.map((amount) => shareBid(amount, bits, { parties, degree: degreeFor(parties) }));
}

/** Returns the rules most tests start from: first price, highest wins, earliest tie, public disclosure, 8 bits. */
export function baseRules(overrides: Partial<AuctionRules> = {}): AuctionRules {
  return { bits: 8, direction: 'highest-wins', price: 'first', ties: 'earliest', disclosure: 'public', ...overrides };
}

export interface AuctionRun {
  parties: number;
  rules: AuctionRules;
  bids: SharedBid[];
  /** Shares of the operator's sealed reserve, when the rules name one. */
  sealedReserve?: SharedBid;
}

/** Runs runAuction at every party and returns each party's result. */
export function auctionAt(run: AuctionRun, options: PartyOptions = {}): Promise<PartyAuctionResult[]> {
  return runParties(run.parties, degreeFor(run.parties), (runtime) => runAuction(runtime, inputOf(run, runtime.party), run.rules), options);
}

/** Runs runAuction at every party and returns each party's settled result. */
export function settleAuctionAt(run: AuctionRun, options: PartyOptions = {}): Promise<PromiseSettledResult<PartyAuctionResult>[]> {
  return settleParties(run.parties, degreeFor(run.parties), (runtime) => runAuction(runtime, inputOf(run, runtime.party), run.rules), options);
}

function inputOf(run: AuctionRun, party: number): { bids: BidInput[]; sealedReserve?: BidInput } {
  const bids = run.bids.map((bid) => bid[party - 1]);
  return run.sealedReserve ? { bids, sealedReserve: run.sealedReserve[party - 1] } : { bids };
}

/** Runs an auction over honest bids, sharing the amounts and the sealed reserve first. */
export function auctionOfAmounts(
  parties: number,
  amounts: readonly bigint[],
  rules: AuctionRules,
  sealedReserve?: bigint,
  options: PartyOptions = {},
): Promise<PartyAuctionResult[]> {
  const bids = shareAmounts(amounts, rules.bits, parties);
  const reserve = sealedReserve === undefined ? undefined : shareAmounts([sealedReserve], rules.bits, parties)[0];
  return auctionAt({ parties, rules, bids, sealedReserve: reserve }, options);
}

/** Checks that every party returned the same outcome, and returns it. */
export function agreedOutcome(results: readonly PartyAuctionResult[]): AuctionOutcome {
  const [first] = results;
  for (const result of results) {
    expect(result.outcome).toEqual(first.outcome);
  }
  return first.outcome;
}

/** Returns the public part of an outcome, which the reference computes too. */
export function publicPart(outcome: AuctionOutcome): Omit<AuctionOutcome, 'rejected'> {
  const { status, noSaleReason, winner, price, validBids } = outcome;
  return { status, noSaleReason, winner, price, validBids };
}

/**
 * Reconstructs the won bit of every bid from all parties' shares, checking
 * that each is a degree-t sharing, or returns null when no party has shares.
 */
export function openWonBits(results: readonly PartyAuctionResult[], parties: number): number[] | null {
  const shares = results.map((result) => result.wonBitShares);
  if (shares.every((s) => s === null)) {
    return null;
  }
  expect(shares.every((s) => s !== null)).toBe(true);
  return openAll(shares as Uint32Array[], degreeFor(parties));
}

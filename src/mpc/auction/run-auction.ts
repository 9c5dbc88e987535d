import { sub } from '../field/fast-field.js';
import { greaterThan, compareWithPublic } from '../protocol/compare.js';
import { select } from '../protocol/multiply.js';
import { open } from '../protocol/open.js';
import { validateBids, type BidInput } from '../protocol/validate.js';
import { permutationFromSeed } from '../prg.js';
import { amountToBits, bitsToAmount } from '../shamir/bid-sharing.js';
import type { PartyRuntime } from '../runtime/party-runtime.js';
import { buildKeys, publicKeyToAmountBits, toKeySpace, type Keys } from './keys.js';
import type { AuctionOutcome, NoSaleReason, PartyAuctionResult, Rejection } from './outcome.js';
import { checkRules, minValidBids, type AuctionRules } from './rules.js';
import { runTournament, wonBits, type TournamentResult } from './tournament.js';

/** One party's inputs: its shares of every bid in the agreed order, and of a sealed reserve if any. */
export interface PartyAuctionInput {
  bids: BidInput[];
  sealedReserve?: BidInput;
}

/**
 * Runs one auction at one party and returns the public outcome, identical at
 * every party, plus this party's shares of the won bits under 'amount-only'.
 * Nothing is opened unless enough bids are valid; then only the sale bit, the
 * price and, under 'public', the winner's position are opened.
 * @throws RangeError for invalid rules or inputs; ProtocolAbortError when the run aborts.
 */
export async function runAuction(runtime: PartyRuntime, input: PartyAuctionInput, rules: AuctionRules): Promise<PartyAuctionResult> {
  checkRules(rules);
  checkReserveInput(input, rules);

  const all = input.sealedReserve ? [...input.bids, input.sealedReserve] : input.bids;
  const validation = await validateBids(runtime, all, rules.bits);
  const rejected = validation.rejected.filter((r) => r.bid < input.bids.length);
  if (validation.rejected.length > rejected.length) {
    throw new RangeError('the sealed reserve failed validation; the operator must seal it again');
  }

  const valid = validation.valid.filter((i) => i < input.bids.length);
  const baseOutcome = { validBids: valid.length, rejected };
  if (valid.length < minValidBids(rules)) {
    return noSale(baseOutcome, 'too-few-valid-bids');
  }

  const order = rules.ties === 'lottery' ? permutationFromSeed(validation.seed, 'lottery', valid.length).map((i) => valid[i]) : valid;
  const amounts = flatten(order.map((i) => input.bids[i] as Uint32Array));
  const keys = await buildKeys(runtime, amounts, order.length, rules);
  const tournament = await runTournament(runtime, keys.bits, order.length, keys.width, rules.price === 'second');
  const reserve = input.sealedReserve instanceof Uint32Array ? toKeySpace(input.sealedReserve, rules) : publicReserveKey(rules);

  return settle(runtime, { rules, keys, tournament, reserve, order, bidCount: input.bids.length, baseOutcome });
}

interface SettleContext {
  rules: AuctionRules;
  keys: Keys;
  tournament: TournamentResult;
  /** Reserve in key space: public bits, shared bits, or null without a reserve. */
  reserve: Uint32Array | null;
  order: number[];
  bidCount: number;
  baseOutcome: { validBids: number; rejected: Rejection[] };
}

async function settle(runtime: PartyRuntime, context: SettleContext): Promise<PartyAuctionResult> {
  const { rules, tournament, order, baseOutcome } = context;
  const k = rules.bits;
  const checks = await saleChecks(runtime, context);

  const opened = checks.length > 0 ? await open(runtime, Uint32Array.from(checks.map((c) => c.bit))) : new Uint32Array(0);
  const failed = checks.find((_, i) => opened[i] !== 1);
  if (failed) {
    return noSale(baseOutcome, failed.reason);
  }

  const priceKey = rules.price === 'first' ? tournament.top.slice(0, k) : await secondPriceKey(runtime, context);
  const toOpen = rules.disclosure === 'public' ? concat(priceKey, tournament.position) : priceKey;
  const values = await open(runtime, toOpen);
  const price = bitsToAmount(publicKeyToAmountBits(values.slice(0, k), rules));
  const winner = rules.disclosure === 'public' ? order[values[k]] : null;

  const outcome: AuctionOutcome = { status: 'settled', noSaleReason: null, winner, price, ...baseOutcome };
  const wonBitShares = rules.disclosure === 'amount-only' ? await wonBitsByBid(runtime, tournament, order, context.bidCount) : null;
  return { outcome, wonBitShares };
}

interface SaleCheck {
  bit: number;
  reason: NoSaleReason;
}

/**
 * Computes the shared bits that must all open to 1 for a sale. The winner must
 * be eligible and meet the reserve. For second price without a reserve, the
 * runner-up must be eligible too.
 */
async function saleChecks(runtime: PartyRuntime, context: SettleContext): Promise<SaleCheck[]> {
  const { rules, keys, tournament, reserve } = context;
  const k = rules.bits;
  const checks: SaleCheck[] = [];
  const eligible = keys.hasEligibility ? tournament.top[k] : null;

  if (reserve) {
    const meetsReserve = await atLeastReserve(runtime, tournament.top.slice(0, k), reserve, rules);
    const sale = eligible === null ? meetsReserve : await both(runtime, meetsReserve, eligible);
    checks.push({ bit: sale, reason: 'no-eligible-bid' });
  } else if (eligible !== null) {
    checks.push({ bit: eligible, reason: 'no-eligible-bid' });
  }

  if (rules.price === 'second' && !reserve && keys.hasEligibility) {
    checks.push({ bit: tournament.second![k], reason: 'no-second-eligible-bid' });
  }
  return checks;
}

async function both(runtime: PartyRuntime, x: number, y: number): Promise<number> {
  const [product] = await select(runtime, [{ choice: Uint32Array.of(x), base: new Uint32Array(1), alternative: Uint32Array.of(y), width: 1 }]);
  return product[0];
}

/** Returns a sharing of [key >= reserve] in key space. */
async function atLeastReserve(runtime: PartyRuntime, key: Uint32Array, reserve: Uint32Array, rules: AuctionRules): Promise<number> {
  const k = rules.bits;
  if (rules.reserve?.kind === 'public') {
    const { below } = await compareWithPublic(runtime, key, reserve, 1, k);
    return sub(1, below[0]);
  }
  const [reserveAhead] = await greaterThan(runtime, reserve, key, 1, k);
  return sub(1, reserveAhead);
}

/**
 * Computes the second price in key space: the runner-up's key (zero when
 * disqualified), raised to the reserve where one is set. For lowest-wins this
 * caps the price at the reserve.
 */
async function secondPriceKey(runtime: PartyRuntime, context: SettleContext): Promise<Uint32Array> {
  const { rules, keys, tournament, reserve } = context;
  const k = rules.bits;
  let runnerUp: Uint32Array = tournament.second!.slice(0, k);

  if (keys.hasEligibility) {
    const eligible = Uint32Array.of(tournament.second![k]);
    [runnerUp] = await select(runtime, [{ choice: eligible, base: new Uint32Array(k), alternative: runnerUp, width: k }]);
  }
  if (!reserve) {
    return runnerUp;
  }

  const reserveAhead = rules.reserve?.kind === 'public'
    ? (await compareWithPublic(runtime, runnerUp, reserve, 1, k)).below
    : await greaterThan(runtime, reserve, runnerUp, 1, k);
  const [price] = await select(runtime, [{ choice: reserveAhead, base: runnerUp, alternative: reserve, width: k }]);
  return price;
}

async function wonBitsByBid(runtime: PartyRuntime, tournament: TournamentResult, order: number[], bidCount: number): Promise<Uint32Array> {
  const byPosition = await wonBits(runtime, tournament.levels);
  const byBid = new Uint32Array(bidCount);
  order.forEach((bid, position) => {
    byBid[bid] = byPosition[position];
  });
  return byBid;
}

function publicReserveKey(rules: AuctionRules): Uint32Array | null {
  if (rules.reserve?.kind !== 'public') {
    return null;
  }
  return toKeySpace(amountToBits(rules.reserve.amount, rules.bits), rules);
}

function checkReserveInput(input: PartyAuctionInput, rules: AuctionRules): void {
  const sealed = rules.reserve?.kind === 'sealed';
  if (sealed && !input.sealedReserve) {
    throw new RangeError('the rules name a sealed reserve but no reserve shares were given');
  }
  if (!sealed && input.sealedReserve) {
    throw new RangeError('reserve shares were given but the rules have no sealed reserve');
  }
}

function noSale(base: { validBids: number; rejected: Rejection[] }, reason: NoSaleReason): PartyAuctionResult {
  return { outcome: { status: 'no-sale', noSaleReason: reason, winner: null, price: null, ...base }, wonBitShares: null };
}

function flatten(vectors: Uint32Array[]): Uint32Array {
  const width = vectors[0]?.length ?? 0;
  const out = new Uint32Array(vectors.length * width);
  vectors.forEach((v, j) => out.set(v, j * width));
  return out;
}

function concat(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

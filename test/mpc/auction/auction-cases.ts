import fc from 'fast-check';
import {
  referenceOutcome,
  type AuctionRules,
  type Direction,
  type Disclosure,
  type PartyAuctionResult,
  type PriceRule,
  type TieRule,
} from '../../../src/mpc/index.js';
import { agreedOutcome, openWonBits, publicPart } from './auction-harness.js';

/** Bid amounts with the rules they are auctioned under. */
export interface AuctionCase {
  amounts: bigint[];
  rules: AuctionRules;
  /** The operator's reserve when the rules name a sealed one. */
  sealedReserve?: bigint;
}

export type ReserveKind = 'none' | 'public' | 'sealed';

/** Settings a property may fix; the others are drawn at random. */
export interface CaseConstraints {
  direction?: Direction;
  price?: PriceRule;
  reserve?: ReserveKind;
  minPrice?: boolean;
  minValidBids?: boolean;
  ties?: TieRule;
  disclosure?: Disclosure;
  maxBids?: number;
}

/** An amount given directly, or as the position of a bid whose amount it copies. */
type AmountSource = { value: bigint } | { bid: number };

const pick = <T>(fixed: T | undefined, ...options: T[]): fc.Arbitrary<T> => (fixed !== undefined ? fc.constant(fixed) : fc.constantFrom(...options));

/** Draws a value always (fixed true), never (fixed false) or sometimes (unset). */
function optional<T>(fixed: boolean | undefined, value: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  if (fixed === undefined) {
    return fc.option(value, { freq: 3 });
  }
  return fixed ? value : fc.constant(null);
}

/**
 * Draws auction cases of the given width. Amounts come from a small pool as
 * often as not, so ties at the top and at second place are common, and
 * reserves and minimum prices often equal a bid.
 */
export function auctionCase(bits: number, fixed: CaseConstraints = {}): fc.Arbitrary<AuctionCase> {
  const max = (1n << BigInt(bits)) - 1n;
  const amount = fc.oneof(fc.bigInt({ min: 0n, max }), fc.constantFrom(0n, max, max / 2n));
  const source: fc.Arbitrary<AmountSource> = fc.oneof(amount.map((value) => ({ value })), fc.nat().map((bid) => ({ bid })));

  return fc
    .record({
      pool: fc.array(amount, { minLength: 1, maxLength: 3 }),
      picks: fc.array(fc.oneof(fc.nat({ max: 2 }), amount), { maxLength: fixed.maxBids ?? 6 }),
      direction: pick<Direction>(fixed.direction, 'highest-wins', 'lowest-wins'),
      price: pick<PriceRule>(fixed.price, 'first', 'second'),
      reserve: pick<ReserveKind>(fixed.reserve, 'none', 'public', 'sealed'),
      reserveAmount: source,
      minPrice: optional(fixed.minPrice, source),
      minValidBids: optional(fixed.minValidBids, fc.integer({ min: 1, max: 4 })),
      ties: pick<TieRule>(fixed.ties, 'earliest', 'lottery'),
      disclosure: pick<Disclosure>(fixed.disclosure, 'public', 'amount-only'),
    })
    .map((drawn) => {
      const amounts = drawn.picks.map((p) => (typeof p === 'number' ? drawn.pool[p % drawn.pool.length] : p));
      const resolve = (s: AmountSource): bigint => {
        if ('value' in s) {
          return s.value;
        }
        return amounts.length > 0 ? amounts[s.bid % amounts.length] : 0n;
      };
      const rules: AuctionRules = { bits, direction: drawn.direction, price: drawn.price, ties: drawn.ties, disclosure: drawn.disclosure };
      const reserveAmount = resolve(drawn.reserveAmount);

      if (drawn.reserve === 'public') {
        rules.reserve = { kind: 'public', amount: reserveAmount };
      } else if (drawn.reserve === 'sealed') {
        rules.reserve = { kind: 'sealed' };
      }
      if (drawn.minPrice && rules.direction === 'lowest-wins') {
        const minPrice = resolve(drawn.minPrice);
        // A minimum price above a public ceiling is invalid, so cap it there.
        rules.minPrice = drawn.reserve === 'public' && minPrice > reserveAmount ? reserveAmount : minPrice;
      }
      if (drawn.minValidBids !== null) {
        const needsTwo = rules.price === 'second' && rules.reserve === undefined;
        rules.minValidBids = needsTwo ? Math.max(2, drawn.minValidBids) : drawn.minValidBids;
      }
      return { amounts, rules, sealedReserve: drawn.reserve === 'sealed' ? reserveAmount : undefined };
    });
}

/** Computes the reference outcome of a case, with the winner shown whatever the disclosure. */
export function referenceOf(c: AuctionCase): ReturnType<typeof referenceOutcome> & { shownWinner: number | null } {
  const reserve = c.rules.reserve?.kind === 'sealed' ? c.sealedReserve : undefined;
  const expected = referenceOutcome(c.amounts, c.rules, reserve);
  const shownWinner = referenceOutcome(c.amounts, { ...c.rules, disclosure: 'public' }, reserve).winner;
  return { ...expected, shownWinner };
}

/**
 * Checks the parties' results of an honest auction against the reference:
 * the same public outcome at every party, no rejections, and under
 * 'amount-only' won-bit shares that open to 1 exactly at the winner. With
 * the lottery tie rule the winner may be any bid tied with the reference's.
 * positions maps the reference's bid positions to submission positions.
 */
export function expectReferenceOutcome(
  results: readonly PartyAuctionResult[],
  c: AuctionCase,
  parties: number,
  positions: number[] = c.amounts.map((_, i) => i),
): void {
  const outcome = agreedOutcome(results);
  const { shownWinner, ...expected } = referenceOf(c);
  const tied = shownWinner === null ? [] : c.amounts.flatMap((amount, i) => (amount === c.amounts[shownWinner] ? [positions[i]] : []));
  const earliest = shownWinner === null ? [] : [positions[shownWinner]];
  const allowed = c.rules.ties === 'lottery' ? tied : earliest;

  const mapped = { ...expected, winner: expected.winner === null ? null : positions[expected.winner] };
  if (c.rules.ties === 'lottery' && mapped.winner !== null) {
    expect(allowed).toContain(outcome.winner);
    mapped.winner = outcome.winner;
  }
  expect(publicPart(outcome)).toEqual(mapped);
  checkWonBits(results, c, parties, allowed);
}

function checkWonBits(results: readonly PartyAuctionResult[], c: AuctionCase, parties: number, allowed: number[]): void {
  const won = openWonBits(results, parties);
  const sold = results[0].outcome.status === 'settled';
  if (c.rules.disclosure === 'public' || !sold) {
    expect(won).toBeNull();
    return;
  }

  expect(won).not.toBeNull();
  const winners = won!.flatMap((bit, i) => (bit === 1 ? [i] : []));
  expect(winners).toHaveLength(1);
  expect(allowed).toContain(winners[0]);
  expect(won!.filter((bit) => bit !== 0 && bit !== 1)).toEqual([]);
}

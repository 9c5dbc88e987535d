import type { AuctionOutcome } from './outcome.js';
import { checkRules, minValidBids, type AuctionRules } from './rules.js';

/**
 * The plaintext definition of every auction function, against which the MPC
 * computation is tested. bids are the amounts of the valid bids in
 * submission order; positions in the outcome index this list. For the
 * lottery tie rule the caller passes the tie-breaking order the seed drew
 * (a permutation of positions); otherwise the earliest bid wins a tie.
 */
export function referenceOutcome(
  bids: bigint[],
  rules: AuctionRules,
  reserve: bigint | null = rules.reserve?.kind === 'public' ? rules.reserve.amount : null,
  tieOrder: number[] = bids.map((_, i) => i),
): Omit<AuctionOutcome, 'rejected'> {
  checkRules(rules);
  const base = { validBids: bids.length, winner: null, price: null };
  if (bids.length < minValidBids(rules)) {
    return { ...base, status: 'no-sale', noSaleReason: 'too-few-valid-bids' };
  }

  const better = (a: bigint, b: bigint): boolean => (rules.direction === 'highest-wins' ? a > b : a < b);
  const eligible = (amount: bigint): boolean =>
    (rules.minPrice === undefined || amount >= rules.minPrice) &&
    (reserve === null || (rules.direction === 'highest-wins' ? amount >= reserve : amount <= reserve));
  const ranked = tieOrder.filter((i) => rules.minPrice === undefined || bids[i] >= rules.minPrice);
  ranked.sort((i, j) => (better(bids[i], bids[j]) ? -1 : better(bids[j], bids[i]) ? 1 : 0));

  const [winner, runnerUp] = ranked;
  if (winner === undefined || !eligible(bids[winner])) {
    return { ...base, status: 'no-sale', noSaleReason: 'no-eligible-bid' };
  }
  const price = rules.price === 'first' ? bids[winner] : secondPrice(bids, runnerUp, reserve, better);
  if (price === null) {
    return { ...base, status: 'no-sale', noSaleReason: 'no-second-eligible-bid' };
  }
  const shownWinner = rules.disclosure === 'public' ? winner : null;
  return { ...base, status: 'settled', noSaleReason: null, winner: shownWinner, price };
}

function secondPrice(
  bids: bigint[],
  runnerUp: number | undefined,
  reserve: bigint | null,
  better: (a: bigint, b: bigint) => boolean,
): bigint | null {
  if (runnerUp === undefined) {
    return reserve;
  }
  const amount = bids[runnerUp];
  if (reserve === null) {
    return amount;
  }
  return better(amount, reserve) ? amount : reserve;
}

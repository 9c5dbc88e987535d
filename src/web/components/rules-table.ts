/** The rules of an auction as a definition list a bidder can read before bidding. */
import type { AuctionInfo, EvaluatorSet } from '../../client/types.js';
import { el } from '../dom.js';
import {
  describeDirection,
  describeDisclosure,
  describeMinPrice,
  describePrice,
  describeRange,
  describeReserve,
  describeTies,
  formatTime,
} from '../format.js';

/** Renders the rules, the deadline and the evaluator set of an auction. */
export function rulesTable(auction: AuctionInfo, evaluators: EvaluatorSet): HTMLElement {
  const settings = auction.settings;
  const rows: Array<[string, string, string]> = [
    ['Who wins', describeDirection(settings), 'direction'],
    ['Price rule', describePrice(settings), 'price'],
    ['Deadline', auction.closesAt === null ? 'None set: the operator closes the auction' : formatTime(auction.closesAt), 'deadline'],
    ['Bids', describeRange(settings), 'range'],
    ['Reserve', describeReserve(settings), 'reserve'],
  ];
  const minPrice = describeMinPrice(settings);
  if (minPrice !== null) {
    rows.push(['Minimum price', minPrice, 'min-price']);
  }
  rows.push(
    ['Ties', describeTies(settings), 'ties'],
    ['Result', describeDisclosure(settings), 'disclosure'],
    ['Minimum bids', `The result is opened only with at least ${settings.minValidBids} valid bid${settings.minValidBids === 1 ? '' : 's'}`, 'min-valid-bids'],
    ['Evaluators', describeEvaluators(evaluators), 'evaluators'],
  );

  const list = el('dl', { class: 'rules', 'data-test': 'rules' });
  for (const [term, description, key] of rows) {
    list.append(el('dt', {}, term), el('dd', { 'data-rule': key }, description));
  }
  return list;
}

function describeEvaluators(set: EvaluatorSet): string {
  const colluding = set.degree + 1;
  return `${set.parties} independent evaluators, each holding one share of every bid. ${colluding} of them colluding could reconstruct a bid; ${set.degree === 1 ? 'one alone learns' : `${set.degree} or fewer learn`} nothing.`;
}

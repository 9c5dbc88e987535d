/**
 * Meaning of the result for the signed-in bidder. Under amount-only
 * disclosure this opens the bidder's won bit with the key that never left
 * this browser, so only this page learns whether the bidder won.
 */
import type { AuctionInfo, ResultInfo } from '../client/types.js';
import { loadBid } from './bidder-storage.js';
import type { BidderSession } from './bidder-session.js';
import { describeFailure } from './messages.js';

/** The bidder's own outcome, for the page to show. */
export interface PrivateOutcome {
  kind: 'won' | 'lost' | 'no-bid' | 'unknown';
  text: string;
  /** How the page found out, or what to do when it could not. */
  detail: string;
}

/**
 * Works out whether the signed-in bidder won. Never throws: a failure comes
 * back as kind 'unknown' with the reason and what to do.
 */
export async function privateOutcome(session: BidderSession, auction: AuctionInfo, result: ResultInfo): Promise<PrivateOutcome> {
  try {
    const me = await session.client.me();
    if (me.submission === null) {
      return { kind: 'no-bid', text: 'You had no bid in this auction.', detail: '' };
    }
    if (me.excludedReason !== null) {
      return { kind: 'lost', text: 'You did not win this auction.', detail: `The operator excluded you: ${me.excludedReason}` };
    }
    if (result.outcome.status !== 'settled') {
      return { kind: 'lost', text: 'Nothing was sold, so nobody won.', detail: '' };
    }
    if (auction.settings.disclosure === 'public') {
      const won = result.winnerBidderId === session.bidderId;
      return { kind: won ? 'won' : 'lost', text: won ? 'You won this auction.' : 'You did not win this auction.', detail: '' };
    }
    return await openWonBit(session, auction.id, me.submission.submissionId);
  } catch (error) {
    const failure = describeFailure(error);
    return { kind: 'unknown', text: 'Could not work out whether you won.', detail: `${failure.detail} ${failure.action}` };
  }
}

async function openWonBit(session: BidderSession, auctionId: string, submissionId: string): Promise<PrivateOutcome> {
  const key = loadBid(auctionId, submissionId)?.wonBitSecretKey ?? null;
  if (key === null) {
    return {
      kind: 'unknown',
      text: 'This browser cannot open your private result.',
      detail: 'The key that opens it is missing: the bid was sealed in another browser, or this browser\'s storage was cleared. Open this page in the browser you bid from.',
    };
  }
  const won = await session.client.openWonBit(key);
  const detail = 'Only this browser learned this: each evaluator sealed its share of the answer to a key that never left this browser.';
  return { kind: won ? 'won' : 'lost', text: won ? 'You won this auction.' : 'You did not win this auction.', detail };
}

/**
 * Replays one recorded procurement auction on a cluster exactly as its
 * participants would: the operator creates and opens it with the recorded
 * reserve and minimum price, each bidder seals and submits through the SDK,
 * the operator excludes the bids the city disqualified before opening, closes
 * the auction and reads the verified result.
 */
import { WebSocket } from 'ws';

import { BidderClient, OperatorClient, watchUntilFinal, type WebSocketConstructor } from '../client/index.js';
import { agreesWithRecord, recordedWinner, type RecordedAuction } from './tsuchiura.js';

/** One line of the demo's result file. */
export interface DemoAuctionResult {
  id: string;
  status: 'settled' | 'no-sale' | 'failed';
  winner: string | null;
  price: string | null;
  recordedWinner: string | null;
  /** Null when the city recorded no winner, so there is nothing to compare. */
  agrees: boolean | null;
  reason: string | null;
}

export const DISQUALIFIED_REASON = 'disqualified by the city before opening';

const OPEN_PERIOD_MS = 15 * 60_000;
const RESULT_TIMEOUT_MS = 5 * 60_000;

/** Runs one recorded auction and compares its outcome with the record. Never throws: a failure becomes a 'failed' line. */
export async function replayAuction(
  operator: OperatorClient,
  orchestratorUrl: string,
  auction: RecordedAuction,
): Promise<DemoAuctionResult> {
  const recorded = recordedWinner(auction)?.bidder ?? null;
  try {
    const outcome = await runAuction(operator, orchestratorUrl, auction);
    const agrees = recorded === null ? null : agreesWithRecord(auction, outcome.winner);
    return { id: auction.id, recordedWinner: recorded, agrees, ...outcome };
  } catch (error) {
    const reason = `${(error as Error).name}: ${(error as Error).message}`;
    return { id: auction.id, status: 'failed', winner: null, price: null, recordedWinner: recorded, agrees: recorded === null ? null : false, reason };
  }
}

type Outcome = Pick<DemoAuctionResult, 'status' | 'winner' | 'price' | 'reason'>;

async function runAuction(operator: OperatorClient, orchestratorUrl: string, auction: RecordedAuction): Promise<Outcome> {
  const created = await operator.createAuction(`Tsuchiura ${auction.id} (${auction.date})`, {
    direction: 'lowest-wins',
    price: 'first',
    bits: 32,
    decimals: 0,
    reserve: { kind: 'public', amount: auction.reserve.toString() },
    minPrice: auction.minPrice === null ? null : auction.minPrice.toString(),
    ties: 'lottery',
    disclosure: 'public',
  });
  await operator.openAuction(created.id, new Date(Date.now() + OPEN_PERIOD_MS).toISOString());

  const tokens = await operator.issueTokens(created.id, [...new Set(auction.bids.map((bid) => bid.bidder))]);
  for (const bid of auction.bids) {
    if (bid.amount !== null) {
      const client = new BidderClient({ baseUrl: orchestratorUrl, auctionId: created.id, token: tokens.get(bid.bidder) as string });
      await client.submitBid(bid.amount.toString());
    }
    if (bid.recordedResult === 'disqualified') {
      await operator.excludeBidder(created.id, bid.bidder, DISQUALIFIED_REASON);
    }
  }

  // The operator waits for the outcome over the event stream, as a bidder's browser does.
  const final = watchUntilFinal({
    baseUrl: orchestratorUrl,
    auctionId: created.id,
    timeoutMs: RESULT_TIMEOUT_MS,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
  });
  try {
    await operator.closeAuction(created.id);
  } catch (error) {
    final.stop();
    throw error;
  }
  const ended = await final.state;
  if (ended.state !== 'settled') {
    return { status: 'failed', winner: null, price: null, reason: ended.reason ?? `auction ended ${ended.state}` };
  }

  const result = await operator.getResult(created.id);
  const sold = result.outcome.status === 'settled';
  return {
    status: sold ? 'settled' : 'no-sale',
    winner: result.winnerBidderId,
    price: result.price,
    reason: sold ? null : result.outcome.noSaleReason,
  };
}

/** A bidder signed in to one auction with its token, and the SDK client that acts for it. */
import { BidderClient } from '../client/bidder-client.js';
import type { BidderInfo } from '../client/types.js';
import { ORCHESTRATOR_URL } from './public-api.js';

/** The bidder behind a token that the orchestrator accepted. */
export interface BidderSession {
  client: BidderClient;
  bidderId: string;
  token: string;
}

/**
 * Checks a token with the orchestrator and returns the session with the
 * bidder's current state (exclusion, bid in force).
 * @throws SealbidApiError, 401 for a token of another auction or an unknown one.
 */
export async function openSession(auctionId: string, token: string): Promise<{ session: BidderSession; me: BidderInfo }> {
  const client = new BidderClient({ baseUrl: ORCHESTRATOR_URL, auctionId, token });
  const me = await client.me();
  return { session: { client, bidderId: me.bidderId, token }, me };
}

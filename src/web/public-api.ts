/** Reads that need no bidder token, from the orchestrator that served the page. */
import { SealbidApiError } from '../client/errors.js';
import { ApiTransport } from '../client/http.js';
import type { AuctionInfo, AuctionState, EvaluatorSet, ResultInfo } from '../client/types.js';
import { checkEvaluatorSet } from '../client/verify.js';

/** The orchestrator's base URL: the page is served from it, so API calls stay same-origin. */
export const ORCHESTRATOR_URL = window.location.origin;

const api = new ApiTransport(ORCHESTRATOR_URL);

/** A stored lifecycle transition. */
export interface Transition {
  from: AuctionState | null;
  to: AuctionState;
  reason: string | null;
  at: string;
}

/** Lists auctions, newest first. @throws SealbidApiError. */
export function listAuctions(): Promise<AuctionInfo[]> {
  return api.request<AuctionInfo[]>('GET', '/auctions?limit=200');
}

/** Fetches one auction. @throws SealbidApiError. */
export function getAuction(auctionId: string): Promise<AuctionInfo> {
  return api.request<AuctionInfo>('GET', `/auctions/${auctionId}`);
}

/** Fetches the stored lifecycle transitions of an auction, oldest first. @throws SealbidApiError. */
export async function getTransitions(auctionId: string): Promise<Transition[]> {
  const state = await api.request<{ transitions: Transition[] }>('GET', `/auctions/${auctionId}/state`);
  return state.transitions;
}

/** Fetches the evaluator set and checks its shape. @throws SealbidApiError, VerificationError. */
export async function getEvaluators(): Promise<EvaluatorSet> {
  return checkEvaluatorSet(await api.request<EvaluatorSet>('GET', '/evaluators'));
}

/** Fetches the published result, or null while there is none. @throws SealbidApiError for other failures. */
export async function findResult(auctionId: string): Promise<ResultInfo | null> {
  try {
    return await api.request<ResultInfo>('GET', `/auctions/${auctionId}/result`);
  } catch (error) {
    if (error instanceof SealbidApiError && error.status === 404) {
      return null;
    }
    throw error;
  }
}

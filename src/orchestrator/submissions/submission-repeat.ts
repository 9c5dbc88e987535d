/**
 * Retries of a submission with the same submission id. A client that lost
 * the response (a timeout, a restarted orchestrator) sends the same sealed
 * bid again, and must get the same outcome instead of an error.
 */
import type { Prisma } from '../generated/prisma/client.js';

/** A stored submission with its envelopes. */
export type StoredSubmission = Prisma.SubmissionGetPayload<{ include: { envelopes: true } }>;

/** Fields of a repeated submission that must match the stored one. */
export interface RepeatedSubmission {
  auctionId: string;
  bidderId: string;
  kind: 'bid' | 'reserve';
  wonBitKey: string | null;
  envelopes: Array<{ party: number; hash: string }>;
}

/** Action for a repeated submission id: respond from storage, forward again, or reject with a reason. */
export type RepeatAction = { action: 'respond' } | { action: 'forward' } | { action: 'reject'; reason: string };

/**
 * Decides how to handle a submission id that is already stored. An identical
 * repeat of an accepted submission gets the stored response, and one of a
 * failed submission is forwarded again. Evaluators return their stored
 * receipt for a repeated envelope, so forwarding twice is harmless. Anything
 * else is rejected: another bid under the same id, a bid since replaced, or
 * one still being forwarded.
 */
export function repeatAction(stored: StoredSubmission, repeat: RepeatedSubmission): RepeatAction {
  const id = stored.id;
  if (!sameSubmission(stored, repeat)) {
    return { action: 'reject', reason: `submission id ${id} was already used for another sealed bid: seal the bid again with a fresh id` };
  }
  if (stored.status === 'accepted') {
    return { action: 'respond' };
  }
  if (stored.status === 'failed') {
    return { action: 'forward' };
  }
  if (stored.status === 'superseded') {
    return { action: 'reject', reason: `submission ${id} was replaced by a later bid, which stays in force; send a new bid to change it` };
  }
  return { action: 'reject', reason: `submission ${id} is still being forwarded to the evaluators; retry in a moment` };
}

function sameSubmission(stored: StoredSubmission, repeat: RepeatedSubmission): boolean {
  const storedHashes = [...stored.envelopes].sort((a, b) => a.party - b.party).map((envelope) => `${envelope.party}:${envelope.hash}`);
  const repeatHashes = [...repeat.envelopes].sort((a, b) => a.party - b.party).map((envelope) => `${envelope.party}:${envelope.hash}`);
  return (
    stored.auctionId === repeat.auctionId &&
    stored.kind === repeat.kind &&
    (stored.kind === 'reserve' || stored.bidderId === repeat.bidderId) &&
    stored.wonBitKey === repeat.wonBitKey &&
    storedHashes.join(',') === repeatHashes.join(',')
  );
}

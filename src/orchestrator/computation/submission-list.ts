/** Builds the ordered submission set of a closed auction from the stored submissions. */
import type { SubmissionRef, SubmissionSet } from '../../crypto/index.js';
import type { Prisma } from '../generated/prisma/client.js';

/**
 * Returns the accepted bids in acceptance order, each with its envelope
 * hashes in party order and, for an excluded bidder, the public reason, plus
 * the accepted sealed reserve, if any. Outcomes refer to bids by their index
 * in this list.
 */
export async function buildSubmissionSet(tx: Prisma.TransactionClient, auctionId: string): Promise<SubmissionSet> {
  const accepted = await tx.submission.findMany({
    where: { auctionId, status: 'accepted' },
    include: { envelopes: { orderBy: { party: 'asc' }, select: { hash: true } } },
    orderBy: { sequence: 'asc' },
  });
  const exclusions = await tx.exclusion.findMany({ where: { auctionId } });
  const reasons = new Map(exclusions.map((exclusion) => [exclusion.bidderId, exclusion.reason]));

  const bids: SubmissionRef[] = accepted
    .filter((submission) => submission.kind === 'bid' && submission.bidderId !== null)
    .map((submission) => {
      const bidderId = submission.bidderId as string;
      const reason = reasons.get(bidderId);
      return {
        bidderId,
        submissionId: submission.id,
        envelopeHashes: submission.envelopes.map((envelope) => envelope.hash),
        excluded: reason === undefined ? null : `excluded by the operator: ${reason}`,
      };
    });

  const reserve = accepted.find((submission) => submission.kind === 'reserve');
  return { auctionId, bids, reserveSubmissionId: reserve?.id ?? null };
}

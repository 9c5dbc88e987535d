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
  // One statement: Prisma's include would list every submission id as a bind parameter,
  // which exceeds the database's parameter limit above about 32,000 bids. A row without
  // envelope_hashes reads its hashes from the envelopes table.
  const accepted = await tx.$queryRaw<Array<{ id: string; kind: string; bidderId: string | null; hashes: string[] | null }>>`
    SELECT s.id, s.kind::text AS kind, s.bidder_id AS "bidderId",
      COALESCE(s.envelope_hashes, (SELECT array_agg(e.hash ORDER BY e.party) FROM envelopes e WHERE e.submission_id = s.id)) AS hashes
    FROM submissions s
    WHERE s.auction_id = ${auctionId} AND s.status = 'accepted'
    ORDER BY s.sequence ASC`;
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
        envelopeHashes: submission.hashes ?? [],
        excluded: reason === undefined ? null : `excluded by the operator: ${reason}`,
      };
    });

  const reserve = accepted.find((submission) => submission.kind === 'reserve');
  return { auctionId, bids, reserveSubmissionId: reserve?.id ?? null };
}

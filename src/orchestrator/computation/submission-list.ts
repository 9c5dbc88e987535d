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
  const accepted = await acceptedSubmissions(tx, auctionId);
  const exclusions = await tx.exclusion.findMany({ where: { auctionId } });
  const reasons = new Map(exclusions.map((exclusion) => [exclusion.bidderId, exclusion.reason]));

  const bids: SubmissionRef[] = accepted
    .filter(([, kind, bidderId]) => kind === 'bid' && bidderId !== null)
    .map(([id, , bidderId, hashes]) => {
      const reason = reasons.get(bidderId as string);
      return {
        bidderId: bidderId as string,
        submissionId: id,
        envelopeHashes: hashes ?? [],
        excluded: reason === undefined ? null : `excluded by the operator: ${reason}`,
      };
    });

  const reserve = accepted.find(([, kind]) => kind === 'reserve');
  return { auctionId, bids, reserveSubmissionId: reserve?.[0] ?? null };
}

/** An accepted submission as [id, kind, bidder id, envelope hashes in party order]. */
type AcceptedRow = [string, string, string | null, string[] | null];

/**
 * Reads the accepted submissions in acceptance order as one JSON array. One
 * statement, because Prisma's include would list every submission id as a
 * bind parameter, which exceeds the database's parameter limit above about
 * 32,000 bids. One row, because converting 100,000 rows with their arrays
 * took 0.9 s against 0.4 s for parsing the same list as JSON text. A row
 * without envelope_hashes reads its hashes from the envelopes table.
 */
async function acceptedSubmissions(tx: Prisma.TransactionClient, auctionId: string): Promise<AcceptedRow[]> {
  const [row] = await tx.$queryRaw<Array<{ list: string }>>`
    SELECT COALESCE(json_agg(json_build_array(s.id, s.kind, s.bidder_id,
      COALESCE(s.envelope_hashes, (SELECT array_agg(e.hash ORDER BY e.party) FROM envelopes e WHERE e.submission_id = s.id))
    ) ORDER BY s.sequence), '[]')::text AS list
    FROM submissions s
    WHERE s.auction_id = ${auctionId} AND s.status = 'accepted'`;
  return JSON.parse(row.list) as AcceptedRow[];
}

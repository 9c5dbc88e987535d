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

  const bids: SubmissionRef[] = accepted
    .filter(([, kind, bidderId]) => kind === 'bid' && bidderId !== null)
    .map(([id, , bidderId, hashes, exclusion]) => ({
      bidderId: bidderId as string,
      submissionId: id,
      envelopeHashes: hashes ?? [],
      excluded: exclusion === null ? null : `excluded by the operator: ${exclusion}`,
    }));

  const reserve = accepted.find(([, kind]) => kind === 'reserve');
  return { auctionId, bids, reserveSubmissionId: reserve?.[0] ?? null };
}

/** An accepted submission as [id, kind, bidder id, envelope hashes in party order, the bidder's exclusion reason]. */
type AcceptedRow = [string, string, string | null, string[] | null, string | null];

/**
 * Reads the accepted submissions in acceptance order, with the exclusion
 * reason of their bidders, as one JSON array. One statement, because
 * Prisma's include would list every submission id as a bind parameter,
 * which exceeds the database's parameter limit above about 32,000 bids. One row, because converting 100,000 rows with their arrays
 * took 0.9 s against 0.4 s for parsing the same list as JSON text. A row
 * without envelope_hashes reads its hashes from the envelopes table.
 */
async function acceptedSubmissions(tx: Prisma.TransactionClient, auctionId: string): Promise<AcceptedRow[]> {
  const [row] = await tx.$queryRaw<Array<{ list: string }>>`
    SELECT COALESCE(json_agg(json_build_array(s.id, s.kind, s.bidder_id,
      COALESCE(s.envelope_hashes, (SELECT array_agg(e.hash ORDER BY e.party) FROM envelopes e WHERE e.submission_id = s.id)),
      x.reason
    ) ORDER BY s.sequence), '[]')::text AS list
    FROM submissions s
    LEFT JOIN exclusions x ON x.auction_id = s.auction_id AND x.bidder_id = s.bidder_id
    WHERE s.auction_id = ${auctionId} AND s.status = 'accepted'`;
  return JSON.parse(row.list) as AcceptedRow[];
}

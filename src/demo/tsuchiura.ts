import { readFile } from 'node:fs/promises';

/** One bidder's row in a recorded auction. */
export interface RecordedBid {
  bidder: string;
  /** Whole yen, or null where the bidder registered but no bid was recorded. */
  amount: bigint | null;
  recordedResult: 'won' | 'lost' | 'below-min-price' | 'disqualified';
}

/** One recorded procurement auction: lowest bid wins, public ceiling, optional floor. */
export interface RecordedAuction {
  id: string;
  date: string;
  reserve: bigint;
  minPrice: bigint | null;
  bids: RecordedBid[];
}

const COLUMNS = ['auction_id', 'date', 'bidder', 'bid_yen', 'reserve_price_yen', 'min_price_yen', 'recorded_result'];
const RESULTS = new Set(['won', 'lost', 'below-min-price', 'disqualified']);

/**
 * Reads the Tsuchiura procurement file and groups its rows into auctions in
 * file order.
 * @throws Error naming the line and column of the first malformed value.
 */
export async function readRecordedAuctions(path: string): Promise<RecordedAuction[]> {
  const lines = (await readFile(path, 'utf8')).split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines[0]?.split(',') ?? [];
  if (COLUMNS.some((column, i) => header[i] !== column)) {
    throw new Error(`${path}: expected the header ${COLUMNS.join(',')}, got ${lines[0] ?? 'an empty file'}`);
  }

  const auctions = new Map<string, RecordedAuction>();
  lines.slice(1).forEach((line, i) => addRow(auctions, line.split(','), `${path}:${i + 2}`));
  return [...auctions.values()];
}

function addRow(auctions: Map<string, RecordedAuction>, cells: string[], where: string): void {
  const [id, date, bidder, bid, reserve, minPrice, result] = cells;
  if (cells.length !== COLUMNS.length || !id || !bidder) {
    throw new Error(`${where}: expected ${COLUMNS.length} columns with auction_id and bidder set`);
  }
  if (!RESULTS.has(result)) {
    throw new Error(`${where}: recorded_result must be one of ${[...RESULTS].join(', ')}, got ${result}`);
  }

  const auction = auctions.get(id) ?? {
    id,
    date,
    reserve: parseYen(reserve, 'reserve_price_yen', where),
    minPrice: minPrice === '' ? null : parseYen(minPrice, 'min_price_yen', where),
    bids: [],
  };
  auction.bids.push({
    bidder: uniqueBidder(auction, bidder),
    amount: bid === '' ? null : parseYen(bid, 'bid_yen', where),
    recordedResult: result as RecordedBid['recordedResult'],
  });
  auctions.set(id, auction);
}

/** Returns the bidder code, with a suffix when it appears again in one auction, because each registration bids once. */
function uniqueBidder(auction: RecordedAuction, bidder: string): string {
  const seen = auction.bids.filter((bid) => bid.bidder === bidder || bid.bidder.startsWith(`${bidder}.`)).length;
  return seen === 0 ? bidder : `${bidder}.${seen + 1}`;
}

function parseYen(text: string, column: string, where: string): bigint {
  if (!/^\d+$/.test(text)) {
    throw new Error(`${where}: ${column} must be a whole number of yen, got "${text}"`);
  }
  return BigInt(text);
}

/** Returns the bidder that the city recorded as the winner, or null. */
export function recordedWinner(auction: RecordedAuction): RecordedBid | null {
  return auction.bids.find((bid) => bid.recordedResult === 'won') ?? null;
}

/**
 * Tells whether a computed winner agrees with the record: it is the recorded
 * winner, or bid the same amount (the city broke ties by lottery).
 */
export function agreesWithRecord(auction: RecordedAuction, winner: string | null): boolean {
  const recorded = recordedWinner(auction);
  if (!recorded || winner === null) {
    return recorded === null && winner === null;
  }
  const computed = auction.bids.find((bid) => bid.bidder === winner);
  return winner === recorded.bidder || (computed?.amount != null && computed.amount === recorded.amount);
}

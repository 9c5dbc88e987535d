/**
 * Auction registration statements that each replace two or three Prisma
 * model calls. Each returns the row together with the auction's envelope
 * count. The update checks its own preconditions, so a concurrent change
 * makes it match no row.
 */
import { Prisma, type Auction, type PrismaClient } from '../generated/prisma/client.js';
import type { WireRules } from './rules.js';

/** An auction row with the number of envelopes stored for it. */
export interface CountedAuction {
  auction: Auction;
  envelopes: number;
}

const AUCTION_COLUMNS = Prisma.raw(`
  id, rules, closes_at AS "closesAt", parties, degree, state::text AS state,
  registered_at AS "registeredAt", updated_at AS "updatedAt", settled_at AS "settledAt",
  cancelled_at AS "cancelledAt", cancel_reason AS "cancelReason", erased_at AS "erasedAt"`);

type CountedRow = Auction & { envelopes: number };

function toCounted(rows: CountedRow[]): CountedAuction | null {
  const row = rows[0];
  if (!row) {
    return null;
  }
  const { envelopes, ...auction } = row;
  return { auction, envelopes };
}

/** Inserts a new open auction; returns null when the id is already registered. */
export async function insertAuction(
  client: PrismaClient,
  auction: { id: string; rules: WireRules; closesAt: Date; parties: number; degree: number },
): Promise<Auction | null> {
  const now = new Date();
  const rows = await client.$queryRaw<CountedRow[]>`
    INSERT INTO auctions (id, rules, closes_at, parties, degree, state, registered_at, updated_at)
    VALUES (
      ${auction.id}, ${JSON.stringify(auction.rules)}::jsonb, ${auction.closesAt}, ${auction.parties}, ${auction.degree},
      'open', ${now}, ${now}
    )
    ON CONFLICT (id) DO NOTHING
    RETURNING ${AUCTION_COLUMNS}, 0 AS envelopes`;
  return toCounted(rows)?.auction ?? null;
}

/** Reads an auction with its envelope count; returns null when it is not registered. */
export async function readCountedAuction(client: PrismaClient, auctionId: string): Promise<CountedAuction | null> {
  const rows = await client.$queryRaw<CountedRow[]>`
    SELECT ${AUCTION_COLUMNS}, (SELECT count(*) FROM envelopes WHERE auction_id = ${auctionId})::int AS envelopes
    FROM auctions WHERE id = ${auctionId}`;
  return toCounted(rows);
}

/**
 * Sets the rules and closing time of an auction that is open and whose
 * closing time lies after now. New rules need an auction without envelopes.
 * Returns null, changing nothing, when one of these conditions fails.
 */
export async function updateOpenAuction(
  client: PrismaClient,
  change: { id: string; rules: WireRules; closesAt: Date; now: Date },
): Promise<CountedAuction | null> {
  const { id, now } = change;
  const rules = JSON.stringify(change.rules);
  const rows = await client.$queryRaw<CountedRow[]>`
    UPDATE auctions SET rules = ${rules}::jsonb, closes_at = ${change.closesAt}, updated_at = ${now}
    WHERE id = ${id} AND state = 'open' AND closes_at > ${now}
      AND (rules = ${rules}::jsonb OR NOT EXISTS (SELECT 1 FROM envelopes WHERE auction_id = ${id}))
    RETURNING ${AUCTION_COLUMNS}, (SELECT count(*) FROM envelopes WHERE auction_id = ${id})::int AS envelopes`;
  return toCounted(rows);
}

/**
 * Moves the closing time of an auction that is open and still open by the
 * clock back to closedAt. Returns null, changing nothing, when the auction
 * is not open, has closed by now, or already closes at or before closedAt.
 */
export async function closeOpenAuctionEarly(client: PrismaClient, change: { id: string; closedAt: Date; now: Date }): Promise<Auction | null> {
  const { id, closedAt, now } = change;
  const rows = await client.$queryRaw<Auction[]>`
    UPDATE auctions SET closes_at = ${closedAt}, updated_at = ${now}
    WHERE id = ${id} AND state = 'open' AND closes_at > ${now} AND closes_at > ${closedAt}
    RETURNING ${AUCTION_COLUMNS}`;
  return rows[0] ?? null;
}

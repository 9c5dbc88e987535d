import type { PGlite } from '@electric-sql/pglite';

import { buildSubmissionSet } from '../../src/orchestrator/computation/submission-list.js';
import type { PrismaClient } from '../../src/orchestrator/generated/prisma/client.js';
import { openMemoryDatabase, type MemoryDatabase } from './support/memory-database.js';

const BIDS = 40_000;
let memory: MemoryDatabase;
let database: PGlite;
let client: PrismaClient;

beforeAll(async () => {
  memory = await openMemoryDatabase();
  ({ database, client } = memory);

  // Bids are accepted in the reverse order of their numbers, and bidder 7 is excluded.
  await database.exec(`
    INSERT INTO auctions (id, title, state, updated_at) VALUES ('a', 'List test', 'closed', now());
    INSERT INTO bidders (id, name) SELECT 'b' || g, 'b' FROM generate_series(1, ${BIDS}) g;
    INSERT INTO participants (auction_id, bidder_id, token_hash) SELECT 'a', 'b' || g, 't' || g FROM generate_series(1, ${BIDS}) g;
    INSERT INTO exclusions (auction_id, bidder_id, reason) VALUES ('a', 'b7', 'late papers');
    INSERT INTO submissions (id, auction_id, bidder_id, kind, status, sequence, accepted_at)
      SELECT 's' || g, 'a', 'b' || g, 'bid', 'accepted', ${BIDS + 1} - g, now() FROM generate_series(1, ${BIDS}) g;
    INSERT INTO envelopes (submission_id, party, sealed, hash)
      SELECT 's' || g, p, '{}'::jsonb, 'h' || g || '-' || p FROM generate_series(1, ${BIDS}) g, generate_series(3, 1, -1) p;`);
}, 120_000);

afterAll(async () => {
  await memory?.close();
});

describe('submission set', () => {
  it('lists 40,000 bids in acceptance order', async () => {
    const set = await buildSubmissionSet(client, 'a');

    expect(set.bids).toHaveLength(BIDS);
    expect(set.bids[0]).toEqual({ bidderId: `b${BIDS}`, submissionId: `s${BIDS}`, envelopeHashes: [`h${BIDS}-1`, `h${BIDS}-2`, `h${BIDS}-3`], excluded: null });
    expect(set.bids[BIDS - 7].excluded).toBe('excluded by the operator: late papers');
    expect(set.bids.every((bid, index) => bid.submissionId === `s${BIDS - index}`)).toBe(true);
    expect(set.reserveSubmissionId).toBeNull();
  });

  it('reads stored hashes first', async () => {
    await database.exec(`
      INSERT INTO auctions (id, title, state, updated_at) VALUES ('c', 'Stored hashes', 'closed', now());
      INSERT INTO submissions (id, auction_id, bidder_id, kind, status, sequence, accepted_at, envelope_hashes)
        VALUES ('c-1', 'c', 'b1', 'bid', 'accepted', 1, now(), ARRAY['x1', 'x2', 'x3']);
      INSERT INTO envelopes (submission_id, party, sealed, hash) VALUES ('c-1', 1, '{}'::jsonb, 'stale');
      INSERT INTO exclusions (auction_id, bidder_id, reason) VALUES ('a', 'b1', 'excluded from another auction');`);

    const set = await buildSubmissionSet(client, 'c');

    expect(set.bids.map((bid) => bid.envelopeHashes)).toEqual([['x1', 'x2', 'x3']]);
    expect(set.bids[0].excluded).toBeNull();
  });
});

import fc from 'fast-check';
import {
  P,
  ProtocolAbortError,
  runAuction,
  type AuctionRules,
  type PartyAuctionResult,
  type PartyRuntime,
  type Transport,
} from '../../../src/mpc/index.js';
import { add } from '../../../src/mpc/field/fast-field.js';
import { REASON_INCONSISTENT, REASON_NOT_A_BIT } from '../../../src/mpc/protocol/validate.js';
import { degreeFor, runParties, settleParties, shareAt } from '../harness.js';
import { seededRandom } from '../seeded-random.js';
import { auctionCase, expectReferenceOutcome, type AuctionCase } from './auction-cases.js';
import {
  agreedOutcome,
  auctionAt,
  auctionOfAmounts,
  baseRules,
  openWonBits,
  publicPart,
  shareAmounts,
  type AuctionRun,
  type SharedBid,
} from './auction-harness.js';
import { EDGE_CASES } from './edge-cases.js';
import { MALICIOUS_KINDS, maliciousBid } from './malicious-bids.js';

const PARTY_COUNTS = [3, 5, 7];
const WIDTHS = [1, 2, 8, 32, 48];

async function checkCase(parties: number, c: AuctionCase): Promise<void> {
  const results = await auctionOfAmounts(parties, c.amounts, c.rules, c.sealedReserve);
  expectReferenceOutcome(results, c, parties);
}

describe('runAuction matches referenceOutcome', () => {
  for (const parties of PARTY_COUNTS) {
    for (const bits of WIDTHS) {
      const numRuns = Math.max(4, Math.round(150 / (parties * Math.log2(2 * bits))));
      it(`on random rules at n = ${parties}, k = ${bits}`, async () => {
        await fc.assert(
          fc.asyncProperty(auctionCase(bits), (c) => checkCase(parties, c)),
          { numRuns },
        );
      });
    }
  }
});

describe('runAuction functions', () => {
  const anyWidth = fc.constantFrom(...WIDTHS);
  const property = (fixed: Parameters<typeof auctionCase>[1], numRuns = 30) =>
    fc.assert(
      fc.asyncProperty(anyWidth.chain((bits) => auctionCase(bits, fixed)), (c) => checkCase(3, c)),
      { numRuns },
    );

  it('highest-wins first price', () => property({ direction: 'highest-wins', price: 'first', reserve: 'none', ties: 'earliest' }));
  it('highest-wins second price', () => property({ direction: 'highest-wins', price: 'second', reserve: 'none', ties: 'earliest' }));
  it('lowest-wins first price', () => property({ direction: 'lowest-wins', price: 'first', reserve: 'none', ties: 'earliest' }));
  it('lowest-wins second price', () => property({ direction: 'lowest-wins', price: 'second', reserve: 'none', ties: 'earliest' }));
  it('public reserve, first price', () => property({ reserve: 'public', price: 'first', ties: 'earliest' }));
  it('public reserve, second price', () => property({ reserve: 'public', price: 'second', ties: 'earliest' }));
  it('sealed reserve, first price', () => property({ reserve: 'sealed', price: 'first', ties: 'earliest' }));
  it('sealed reserve, second price', () => property({ reserve: 'sealed', price: 'second', ties: 'earliest' }));
  it('minimum price, lowest-wins', () => property({ direction: 'lowest-wins', minPrice: true, ties: 'earliest' }));
  it('minimum number of valid bids', () => property({ minValidBids: true, ties: 'earliest' }));
  it('amount-only disclosure', () => property({ disclosure: 'amount-only', ties: 'earliest' }));
  it('lottery tie rule', () => property({ ties: 'lottery' }));
});

describe('runAuction edge cases', () => {
  for (const edge of EDGE_CASES) {
    it(edge.name, async () => {
      const c = { amounts: edge.bids, rules: edge.rules, sealedReserve: edge.sealedReserve };
      const results = await auctionOfAmounts(3, c.amounts, c.rules, c.sealedReserve);
      const outcome = agreedOutcome(results);

      expect(publicPart(outcome)).toEqual({ ...edge.expected, validBids: edge.bids.length });
      expect(outcome.rejected).toEqual([]);
    });
  }

  it('no valid bid: every bid rejected', async () => {
    const bids = shareAmounts([5n, 6n], 8, 3);
    bids[0][1] = { rejected: 'envelope failed to decrypt' };
    bids[1][2] = new Uint32Array(3);
    const outcome = agreedOutcome(await auctionAt({ parties: 3, rules: baseRules(), bids }));

    expect(publicPart(outcome)).toEqual({ status: 'no-sale', noSaleReason: 'too-few-valid-bids', winner: null, price: null, validBids: 0 });
    expect(outcome.rejected).toEqual([
      { bid: 0, reason: 'evaluator 2: envelope failed to decrypt' },
      { bid: 1, reason: 'evaluator 3: expected 8 bit shares, got 3' },
    ]);
  });
});

describe('runAuction tie rules', () => {
  it('earliest: the first of the tied best wins', async () => {
    for (const parties of PARTY_COUNTS) {
      const results = await auctionOfAmounts(parties, [3n, 9n, 1n, 9n, 9n], baseRules({ disclosure: 'amount-only' }));
      expect(openWonBits(results, parties)).toEqual([0, 1, 0, 0, 0]);
    }
  });

  it('lottery: every tied bidder wins sometimes, no other ever', async () => {
    // Seeded party randomness makes the sequence of winners reproducible.
    // A fair lottery misses one of 3 tied bidders in 36 draws with
    // probability about 3 * (2/3)^36, below 10^-6.
    for (const direction of ['highest-wins', 'lowest-wins'] as const) {
      const amounts = direction === 'highest-wins' ? [9n, 3n, 9n, 9n, 4n] : [1n, 3n, 1n, 1n, 4n];
      const rules = baseRules({ direction, ties: 'lottery', price: 'second' });
      const wins = new Map<number, number>();

      for (let draw = 0; draw < 36; draw++) {
        const random = (party: number) => seededRandom(draw * 10 + party + (direction === 'lowest-wins' ? 5000 : 0));
        const outcome = agreedOutcome(await auctionOfAmounts(3, amounts, rules, undefined, { random }));
        expect(outcome.price).toBe(amounts[0]);
        wins.set(outcome.winner!, (wins.get(outcome.winner!) ?? 0) + 1);
      }
      expect([...wins.keys()].sort()).toEqual([0, 2, 3]);
    }
  });

  it('lottery: the amount-only won bit marks one tied bidder', async () => {
    const results = await auctionOfAmounts(5, [7n, 7n, 2n], baseRules({ ties: 'lottery', disclosure: 'amount-only' }));
    const won = openWonBits(results, 5)!;
    expect(won[2]).toBe(0);
    expect(won[0] + won[1]).toBe(1);
  });
});

describe('runAuction with malicious bidders', () => {
  for (const kind of MALICIOUS_KINDS) {
    it(`excludes the bad bid and settles: ${kind}`, async () => {
      const setting = fc.record({
        parties: fc.constantFrom(...PARTY_COUNTS),
        c: fc.constantFrom(1, 8, 32).chain((bits) => auctionCase(bits, { ties: 'earliest', maxBids: 4 })),
        position: fc.nat(),
        party: fc.nat(),
      });

      await fc.assert(
        fc.asyncProperty(setting, async ({ parties, c, position, party }) => {
          const at = position % (c.amounts.length + 1);
          const cheatingBid = maliciousBid(kind, c.rules.bits, parties, (party % parties) + 1);
          const bids = shareAmounts(c.amounts, c.rules.bits, parties);
          bids.splice(at, 0, cheatingBid.bid);
          const sealedReserve = c.sealedReserve === undefined ? undefined : shareAmounts([c.sealedReserve], c.rules.bits, parties)[0];

          const results = await auctionAt({ parties, rules: c.rules, bids, sealedReserve });
          const positions = c.amounts.map((_, i) => (i < at ? i : i + 1));

          expect(results[0].outcome.rejected).toEqual([{ bid: at, reason: cheatingBid.reason }]);
          expect(results[0].outcome.validBids).toBe(c.amounts.length);
          expectReferenceOutcome(results, c, parties, positions);
        }),
        { numRuns: 12 },
      );
    });
  }

  it('excludes several malicious bids at once', async () => {
    const parties = 5;
    const bids = shareAmounts([10n, 40n, 30n], 8, parties);
    const bad = MALICIOUS_KINDS.map((kind, i) => maliciousBid(kind, 8, parties, i + 1));
    const all = [bad[0].bid, bids[0], bad[1].bid, bad[2].bid, bids[1], bad[3].bid, bids[2], bad[4].bid];
    const results = await auctionAt({ parties, rules: baseRules({ price: 'second', disclosure: 'amount-only' }), bids: all });
    const outcome = agreedOutcome(results);

    expect(publicPart(outcome)).toEqual({ status: 'settled', noSaleReason: null, winner: null, price: 30n, validBids: 3 });
    expect(outcome.rejected).toEqual([0, 2, 3, 5, 7].map((bid, i) => ({ bid, reason: bad[i].reason })));
    expect(openWonBits(results, parties)).toEqual([0, 0, 0, 0, 1, 0, 0, 0]);
  });
});

/**
 * Wraps the transport of cheater so that it adds 1 to element 0 of the
 * payload of its target-th 'open' round (counted from 0). In place, the
 * cheater's own copy changes too, as if it computed a wrong share. Otherwise
 * only what it sends to its peers changes.
 */
function alterOpening(cheater: number, target: number, inPlace: boolean) {
  return (party: number, transport: Transport): Transport => {
    if (party !== cheater) {
      return transport;
    }
    const openRounds: number[] = [];
    return {
      listen: transport.listen,
      send: (message) => {
        if (message.operation === 'open' && !openRounds.includes(message.round)) {
          openRounds.push(message.round);
          if (openRounds.length - 1 === target && inPlace) {
            message.payload[0] = add(message.payload[0], 1);
          }
        }
        if (message.operation === 'open' && openRounds.indexOf(message.round) === target && !inPlace) {
          const payload = message.payload.slice();
          payload[0] = add(payload[0], 1);
          transport.send({ ...message, payload });
          return;
        }
        transport.send(message);
      },
    };
  };
}

/** Counts the 'open' rounds of an honest run of the auction. */
async function countOpenings(run: AuctionRun): Promise<number> {
  const rounds = new Set<number>();
  const wrap = (party: number, transport: Transport): Transport => ({
    listen: transport.listen,
    send: (message) => {
      if (party === 1 && message.operation === 'open') {
        rounds.add(message.round);
      }
      transport.send(message);
    },
  });
  await auctionAt(run, { wrap });
  return rounds.size;
}

/**
 * Runs the auction with a cheating party and returns every party's settled
 * result. Once all honest parties have finished, the cheater's runtime is
 * closed, so a cheater left waiting for a round does not hold the test up.
 */
async function auctionWithCheater(run: AuctionRun, cheater: number, target: number, inPlace: boolean): Promise<PromiseSettledResult<PartyAuctionResult>[]> {
  const honest: Array<Promise<unknown>> = [];
  let cheaterRuntime: PartyRuntime | null = null;

  const program = (runtime: PartyRuntime): Promise<PartyAuctionResult> => {
    const bids = run.bids.map((bid) => bid[runtime.party - 1]);
    const sealedReserve = run.sealedReserve?.[runtime.party - 1];
    const result = runAuction(runtime, sealedReserve ? { bids, sealedReserve } : { bids }, run.rules);
    if (runtime.party === cheater) {
      cheaterRuntime = runtime;
    } else {
      honest.push(result.catch(() => undefined));
    }
    return result;
  };

  const settled = settleParties(run.parties, degreeFor(run.parties), program, { wrap: alterOpening(cheater, target, inPlace) });
  await Promise.all(honest);
  (cheaterRuntime as PartyRuntime | null)?.close();
  return settled;
}

describe('runAuction with a cheating evaluator', () => {
  const secondPriceSealed: AuctionRules = baseRules({ price: 'second', reserve: { kind: 'sealed' }, disclosure: 'amount-only' });

  function runOf(parties: number, rules: AuctionRules): AuctionRun {
    const bids = shareAmounts([12n, 200n, 45n, 199n], rules.bits, parties);
    const sealedReserve = rules.reserve?.kind === 'sealed' ? shareAmounts([20n], rules.bits, parties)[0] : undefined;
    return { parties, rules, bids, sealedReserve };
  }

  function expectAborted(result: PromiseSettledResult<PartyAuctionResult>, context: unknown[]): void {
    expect([...context, result.status]).toEqual([...context, 'rejected']);
    const reason = (result as PromiseRejectedResult).reason;
    expect(reason).toBeInstanceOf(ProtocolAbortError);
    expect(reason.message).toMatch(/opened values do not lie on one polynomial of degree/);
  }

  it('makes every honest party reject at any opening', async () => {
    for (const rules of [baseRules(), secondPriceSealed]) {
      const run = runOf(3, rules);
      const openings = await countOpenings(run);
      expect(openings).toBeGreaterThanOrEqual(2);

      for (let cheater = 1; cheater <= 3; cheater++) {
        for (let target = 0; target < openings; target++) {
          const results = await auctionWithCheater(run, cheater, target, false);
          results.forEach((result, j) => {
            if (j + 1 !== cheater) {
              expectAborted(result, [rules.price, cheater, target, j + 1]);
            }
          });
        }
      }
    }
  });

  it('makes every party reject when the altered share is its own', async () => {
    for (const parties of PARTY_COUNTS) {
      const run = runOf(parties, secondPriceSealed);
      const openings = await countOpenings(run);
      for (const target of [0, openings - 1]) {
        const cheater = (target % parties) + 1;
        const results = await auctionWithCheater(run, cheater, target, true);
        results.forEach((result, j) => expectAborted(result, [parties, target, j + 1]));
      }
    }
  });

  it('makes every honest party reject at n = 5 and 7', async () => {
    for (const parties of [5, 7]) {
      const run = runOf(parties, baseRules({ price: 'second' }));
      const openings = await countOpenings(run);
      const cheater = parties;
      const results = await auctionWithCheater(run, cheater, openings - 1, false);
      results.slice(0, parties - 1).forEach((result, j) => expectAborted(result, [parties, j + 1]));
    }
  });
});

describe('runAuction inputs', () => {
  it('rejects sealed-reserve rules without reserve shares', async () => {
    const run = { parties: 3, rules: baseRules({ reserve: { kind: 'sealed' } }), bids: shareAmounts([1n], 8, 3) };
    await expect(auctionAt(run)).rejects.toThrow('the rules name a sealed reserve but no reserve shares were given');
  });

  it('rejects reserve shares the rules do not name', async () => {
    const run = { parties: 3, rules: baseRules(), bids: shareAmounts([1n], 8, 3), sealedReserve: shareAmounts([1n], 8, 3)[0] };
    await expect(auctionAt(run)).rejects.toThrow('reserve shares were given but the rules have no sealed reserve');
  });

  it('rejects a sealed reserve that fails validation', async () => {
    const reserve = shareAt([0, 2, 0, 0, 0, 0, 0, 0], 3, 1);
    const run = { parties: 3, rules: baseRules({ reserve: { kind: 'sealed' } }), bids: shareAmounts([1n], 8, 3), sealedReserve: reserve };
    await expect(auctionAt(run)).rejects.toThrow('the sealed reserve failed validation; the operator must seal it again');
  });

  it('rejects invalid rules before sending anything', async () => {
    const sent: unknown[] = [];
    const wrap = (_party: number, transport: Transport): Transport => ({
      listen: transport.listen,
      send: (message) => {
        sent.push(message);
        transport.send(message);
      },
    });
    const run = { parties: 3, rules: baseRules({ bits: 65 }), bids: [] };
    await expect(auctionAt(run, { wrap })).rejects.toThrow(RangeError);
    expect(sent).toEqual([]);
  });
});

describe('runAuction cost', () => {
  it('stays within the first-price round target for 100 bids', async () => {
    // Target: ceil(log2 N) * (ceil(log2 k) + 3) rounds for first price.
    const amounts = Array.from({ length: 100 }, (_, i) => BigInt((i * 7919) % 2 ** 32));
    const bids = shareAmounts(amounts, 32, 3);
    const rules = baseRules({ bits: 32 });

    const stats = await runParties(3, 1, async (runtime) => {
      const result = await runAuction(runtime, { bids: bids.map((bid) => bid[runtime.party - 1]) }, rules);
      expect(result.outcome.winner).toBe(amounts.indexOf(amounts.reduce((a, b) => (b > a ? b : a))));
      return runtime.stats;
    });
    for (const s of stats) {
      expect(s.rounds).toBeLessThanOrEqual(7 * (5 + 3));
      expect(s.multiplications).toBeGreaterThan(0);
      expect(s.bytesSent).toBeGreaterThan(0);
    }
  });
});

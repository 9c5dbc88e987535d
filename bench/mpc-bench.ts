/**
 * In-process benchmark of the auction function: three parties over the
 * in-memory network, first price, highest wins, one auction per case.
 * Usage: npm run bench:mpc [-- --json] [-- --bids 100,1000] [-- --bits 32]
 */
import { parseArgs } from 'node:util';
import { MemoryNetwork, PartyRuntime, runAuction, shareBid, type AuctionRules } from '../src/mpc/index.js';
import { describeMachine } from './machine.js';

interface CaseResult {
  parties: number;
  bids: number;
  bits: number;
  wallMs: number;
  rounds: number;
  multiplications: number;
  bytesPerParty: number;
}

async function runCase(parties: number, bids: number, bits: number): Promise<CaseResult> {
  const degree = Math.floor((parties - 1) / 2);
  const rules: AuctionRules = { bits, direction: 'highest-wins', price: 'first', ties: 'earliest', disclosure: 'public' };
  const shares = Array.from({ length: bids }, () => shareBid(randomAmount(bits), bits, { parties, degree }));
  const network = new MemoryNetwork();
  const runtimes = Array.from(
    { length: parties },
    (_, i) => new PartyRuntime({ runId: `bench-${bids}`, party: i + 1, parties, degree, transport: network.transport(i + 1) }),
  );

  const start = performance.now();
  await Promise.all(runtimes.map((rt) => runAuction(rt, { bids: shares.map((s) => s[rt.party - 1]) }, rules)));
  const wallMs = performance.now() - start;
  runtimes.forEach((rt) => rt.close());

  const { rounds, multiplications, bytesSent } = runtimes[0].stats;
  return { parties, bids, bits, wallMs: Math.round(wallMs), rounds, multiplications, bytesPerParty: bytesSent };
}

function randomAmount(bits: number): bigint {
  const words = crypto.getRandomValues(new Uint32Array(Math.ceil(bits / 32)));
  const value = words.reduce((acc, w) => (acc << 32n) | BigInt(w), 0n);
  return value & ((1n << BigInt(bits)) - 1n);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      bids: { type: 'string', default: '100,1000,10000' },
      bits: { type: 'string', default: '32' },
      parties: { type: 'string', default: '3' },
    },
  });
  const sizes = values.bids.split(',').map(Number);
  const bits = Number(values.bits);
  const parties = Number(values.parties);
  if (!values.json) {
    console.log(`machine: ${describeMachine()}`);
    console.log('parties  bids  bits  wall ms  rounds  multiplications  bytes/party  bound');
  }

  await runCase(parties, 10, bits);
  for (const bids of sizes) {
    const result = await runCase(parties, bids, bits);
    const bound = Math.ceil(Math.log2(bids)) * (Math.ceil(Math.log2(bits)) + 3);
    if (values.json) {
      console.log(JSON.stringify(result));
    } else {
      const { wallMs, rounds, multiplications, bytesPerParty } = result;
      console.log(`${parties}  ${bids}  ${bits}  ${wallMs}  ${rounds}  ${multiplications}  ${bytesPerParty}  ${bound}`);
    }
  }
}

await main();

/**
 * In-process benchmark of the auction function: parties over the in-memory
 * network, first price, highest wins, one auction per case.
 * Usage: npm run bench:mpc -- --help prints the options (USAGE below).
 */
import { parseArgs } from 'node:util';
import { MemoryNetwork, PartyRuntime, runAuction, shareBid, type AuctionRules } from '../src/mpc/index.js';
import { describeMachine } from './machine.js';
import { numberList, readCommandOptions } from './options.js';

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

const USAGE = `Usage: npm run bench:mpc -- [options]

Runs the auction function with every party in this process, over the
in-memory network, and prints one line per case: every combination of the
lists given.

  --json              print one JSON object per case
  --bids 100,1000     bids per auction (default 100,1000,10000)
  --bits 32,48        bit length of the amounts (default 32)
  --parties 3,5       parties, each with degree floor((n - 1) / 2) (default 3)
  --help              print this text`;

interface Options {
  json: boolean;
  bids: number[];
  bits: number[];
  parties: number[];
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      bids: { type: 'string', default: '100,1000,10000' },
      bits: { type: 'string', default: '32' },
      parties: { type: 'string', default: '3' },
    },
    strict: true,
  });
  return {
    json: values.json,
    bids: numberList(values.bids, 'bids', 2),
    bits: numberList(values.bits, 'bits', 1),
    parties: numberList(values.parties, 'parties', 3),
  };
}

async function main(): Promise<void> {
  const options = readCommandOptions(USAGE, 'npm run bench:mpc', readOptions);
  if (options === null) {
    return;
  }
  if (!options.json) {
    console.log(`machine: ${describeMachine()}`);
    console.log('parties  bids  bits  wall ms  rounds  multiplications  bytes/party  bound');
  }

  for (const parties of options.parties) {
    for (const bits of options.bits) {
      await runCase(parties, 10, bits);
      for (const bids of options.bids) {
        report(options.json, await runCase(parties, bids, bits));
      }
    }
  }
}

function report(json: boolean, result: CaseResult): void {
  if (json) {
    console.log(JSON.stringify(result));
    return;
  }
  const { parties, bids, bits, wallMs, rounds, multiplications, bytesPerParty } = result;
  const bound = Math.ceil(Math.log2(bids)) * (Math.ceil(Math.log2(bits)) + 3);
  console.log(`${parties}  ${bids}  ${bits}  ${wallMs}  ${rounds}  ${multiplications}  ${bytesPerParty}  ${bound}`);
}

await main();

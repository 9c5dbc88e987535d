/**
 * Measures the CPU time of the orchestrator's statement forms on an embedded
 * PGlite database with its migrations: a read and a state change through
 * Prisma's model API, through Prisma's interactive transaction, and as one
 * raw statement. Prints one line per form.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openDatabase } from '../src/db/index.js';
import { PrismaClient } from '../src/orchestrator/generated/prisma/client.js';
import { describeMachine } from './machine.js';
import { positiveInteger, readCommandOptions } from './options.js';

const USAGE = `Usage: npm run bench:statements -- [options]

Runs each statement form n times on a fresh embedded orchestrator database
and prints the mean wall time and CPU time per run.

  --runs N    runs of each form (default 2000)
  --help      print this text`;

interface Form {
  name: string;
  run: (client: PrismaClient, id: string, index: number) => Promise<unknown>;
}

const FORMS: Form[] = [
  { name: 'model read (findUnique)', run: (client, id) => client.auction.findUnique({ where: { id } }) },
  { name: 'raw read', run: (client, id) => client.$queryRaw`SELECT id, state::text FROM auctions WHERE id = ${id}` },
  {
    name: 'state change, interactive transaction',
    run: (client, id, index) =>
      client.$transaction(async (tx) => {
        const auction = await tx.auction.findUniqueOrThrow({ where: { id } });
        await tx.auction.update({ where: { id }, data: { stateReason: `r${index}`, updatedAt: new Date() } });
        await tx.transition.create({ data: { auctionId: id, fromState: auction.state, toState: auction.state, at: new Date() } });
      }),
  },
  {
    name: 'state change, one raw statement',
    run: (client, id, index) => client.$executeRaw`
      WITH moved AS (
        UPDATE auctions SET state_reason = ${`r${index}`}, updated_at = ${new Date()} WHERE id = ${id} AND state = 'draft' RETURNING id, state
      )
      INSERT INTO transitions (auction_id, from_state, to_state, at) SELECT id, state, state, ${new Date()} FROM moved`,
  },
];

async function main(): Promise<void> {
  const options = readCommandOptions(USAGE, 'npm run bench:statements', () => {
    const index = process.argv.indexOf('--runs');
    return { runs: index === -1 ? 2000 : positiveInteger(process.argv[index + 1] ?? '', 'runs') };
  });
  if (options === null) {
    return;
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'sealbid-statements-'));
  const database = await openDatabase({ role: 'orchestrator', dataDir, createClient: (adapter) => new PrismaClient({ adapter }) });
  try {
    console.log(describeMachine());
    const ids = await createAuctions(database.client, options.runs);
    for (const form of FORMS) {
      console.log(await measure(database.client, form, ids));
    }
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function createAuctions(client: PrismaClient, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, index) => `bench-${index}`);
  for (const id of ids) {
    await client.auction.create({ data: { id, title: id, updatedAt: new Date() } });
  }
  return ids;
}

// 100 runs first, so that the figures leave out JIT compilation and other first-use costs.
async function measure(client: PrismaClient, form: Form, ids: string[]): Promise<string> {
  for (let index = 0; index < 100; index++) {
    await form.run(client, ids[index % ids.length], index);
  }
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (const [index, id] of ids.entries()) {
    await form.run(client, id, index);
  }
  const used = process.cpuUsage(cpu);
  const wallMs = (performance.now() - started) / ids.length;
  const cpuMs = (used.user + used.system) / 1000 / ids.length;
  return `${form.name.padEnd(40)} ${wallMs.toFixed(3)} ms wall  ${cpuMs.toFixed(3)} ms CPU`;
}

await main();

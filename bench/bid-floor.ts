/**
 * Measures, in one process, the CPU time of the work that every sealed bid
 * requires whatever the framework and the database. The steps are the
 * bidder's sharing and sealing, each evaluator's opening and receipt
 * signature, and the receipt checks at the orchestrator and at the bidder.
 * Two HTTP exchanges on a kept-alive loopback connection stand for the
 * bidding context and the submission, with bodies of about the sizes the SDK
 * sends and receives. Two database steps are added for scale, each as the
 * services run it in groups of 16 bids on the embedded database: the
 * orchestrator's pending insert and acceptance, and the evaluators' envelope
 * stores. Prints the CPU per bid of each step and their sum against the
 * budget that a target rate leaves on this machine's cores.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { sealAmount } from '../src/client/seal.js';
import type { EvaluatorSet } from '../src/client/types.js';
import { verifyReceipts } from '../src/client/verify.js';
import {
  envelopeHash,
  generateSealingKeyPair,
  generateSigningKeyPair,
  openEnvelope,
  signReceipt,
  toBase64Url,
  verifyReceipt,
  type Envelope,
  type KeyPair,
  type Receipt,
} from '../src/crypto/index.js';
import { temporaryRoot } from '../src/cli/temporary-root.js';
import { openDatabase } from '../src/db/index.js';
import { PrismaClient } from '../src/evaluator/generated/prisma/client.js';
import { insertEnvelopes, type GuardedEnvelope } from '../src/evaluator/intake/envelope-store.js';
import { PrismaClient as OrchestratorClient } from '../src/orchestrator/generated/prisma/client.js';
import { acceptGroup, insertPendingGroup } from '../src/orchestrator/submissions/submission-batch-store.js';
import { describeMachine } from './machine.js';
import { positiveInteger, readCommandOptions } from './options.js';

const USAGE = `Usage: npm run bench:floor -- [options]

Measures the CPU time per bid of the steps every sealed bid requires and
prints one line per step and their sum.

  --bids N        bids to measure each step on (default 3000)
  --evaluators N  evaluators each bid is sealed to, 3 to 64 (default 3)
  --bits N        bid width in bits, 1 to 64 (default 32)
  --rate N        target bids per second that sets the budget (default 1000)
  --json          print one JSON object
  --help          print this text`;

interface Options {
  bids: number;
  evaluators: number;
  bits: number;
  rate: number;
  json: boolean;
}

interface Evaluator {
  party: number;
  sealing: KeyPair;
  signing: KeyPair;
}

interface SealedBid {
  target: { auctionId: string; bidderId: string; submissionId: string; bits: number };
  sealed: ReturnType<typeof sealAmount>;
  receipts: Array<{ receipt: Receipt; signature: string }>;
}

/** Bytes of the SDK's two requests and responses, estimated from the JSON fields of a 3-evaluator, 32-bit auction and rounded up. */
const CONTEXT_RESPONSE_BYTES = 1_600;
const SUBMISSION_BYTES_PER_EVALUATOR = 400;
const SUBMISSION_RESPONSE_BYTES_PER_EVALUATOR = 450;

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      bids: { type: 'string', default: '3000' },
      evaluators: { type: 'string', default: '3' },
      bits: { type: 'string', default: '32' },
      rate: { type: 'string', default: '1000' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    bids: positiveInteger(values.bids, 'bids'),
    evaluators: integerInRange(values.evaluators, 'evaluators', 3, 64),
    bits: integerInRange(values.bits, 'bits', 1, 64),
    rate: positiveInteger(values.rate, 'rate'),
    json: values.json,
  };
}

/** @throws Error naming the option when text is not a whole number from min to max. */
function integerInRange(text: string, name: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`--${name} must be a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

/** Returns the CPU milliseconds per item that work takes over count items, after a warm-up of a tenth. */
function cpuPerItem(count: number, work: (index: number) => void): number {
  for (let i = 0; i < Math.ceil(count / 10); i++) {
    work(i);
  }
  const start = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    work(i);
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / count;
}

function evaluatorSet(evaluators: Evaluator[]): EvaluatorSet {
  const keys = evaluators.map((evaluator) => ({
    party: evaluator.party,
    signingKey: toBase64Url(evaluator.signing.publicKey),
    sealingKey: toBase64Url(evaluator.sealing.publicKey),
  }));
  return { parties: evaluators.length, degree: Math.floor((evaluators.length - 1) / 2), evaluators: keys } as EvaluatorSet;
}

function newBid(bits: number, set: EvaluatorSet): SealedBid {
  const target = { auctionId: 'floor-auction', bidderId: `bidder-${randomUUID()}`, submissionId: randomUUID(), bits };
  const amount = BigInt(Math.floor(Math.random() * 2 ** Math.min(bits, 52)));
  return { target, sealed: sealAmount(amount, target, set), receipts: [] };
}

// Each evaluator opens its envelope, hashes it and signs a receipt, as its intake does.
function receive(bid: SealedBid, evaluator: Evaluator, bits: number): void {
  const item = bid.sealed[evaluator.party - 1];
  const binding = { auctionId: bid.target.auctionId, bidderId: bid.target.bidderId, submissionId: bid.target.submissionId, evaluator: evaluator.party };
  openEnvelope(item.envelope as Envelope, evaluator.sealing.secretKey, binding, { shares: bits }).fill(0);
  const receipt: Receipt = { ...binding, envelopeHash: envelopeHash(item.envelope), receivedAt: new Date().toISOString(), onTime: true };
  bid.receipts[evaluator.party - 1] = { receipt, signature: signReceipt(receipt, evaluator.signing.secretKey) };
}

function checkAtOrchestrator(bid: SealedBid, evaluators: Evaluator[]): void {
  for (const signed of bid.receipts) {
    if (!verifyReceipt(signed.receipt, signed.signature, evaluators[signed.receipt.evaluator - 1].signing.publicKey)) {
      throw new Error(`receipt of evaluator ${signed.receipt.evaluator} did not verify`);
    }
  }
}

async function startEchoServer(): Promise<Server> {
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const size = Number(incoming.headers['x-response-bytes'] ?? 0);
      JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ padding: 'x'.repeat(size) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function exchange(agent: Agent, port: number, method: string, body: string, responseBytes: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-response-bytes': String(responseBytes) };
    const outgoing = request({ host: '127.0.0.1', port, path: '/v1/x', method, agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const STORE_BATCH = 16;

/** Returns the CPU milliseconds per item of work on groups of STORE_BATCH items, after a warm-up on the first tenth. */
async function cpuPerGroupedItem<T>(items: T[], work: (group: T[]) => Promise<void>): Promise<number> {
  const warmUp = Math.ceil(items.length / 10 / STORE_BATCH) * STORE_BATCH;
  for (let index = 0; index < warmUp; index += STORE_BATCH) {
    await work(items.slice(index, index + STORE_BATCH));
  }

  const start = process.cpuUsage();
  for (let index = warmUp; index < items.length; index += STORE_BATCH) {
    await work(items.slice(index, index + STORE_BATCH));
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / (items.length - warmUp);
}

/** Returns the CPU milliseconds per bid of storing each bid's envelope at every evaluator, in batches of STORE_BATCH. */
async function storePerBid(bids: SealedBid[], evaluators: number): Promise<number> {
  const dataDir = mkdtempSync(join(temporaryRoot(), 'sealbid-floor-'));
  const database = await openDatabase({ role: 'evaluator', dataDir, createClient: (adapter) => new PrismaClient({ adapter }) });
  try {
    const guard = { closesAt: new Date(Date.now() + 3_600_000), rules: { bits: bids[0].target.bits } };
    for (let party = 1; party <= evaluators; party++) {
      await database.client.auction.create({ data: { id: `floor-${party}`, rules: guard.rules, closesAt: guard.closesAt, parties: evaluators, degree: 1 } });
    }
    const rows = bids.flatMap((bid) => bid.receipts.map((signed) => storedEnvelope(bid, signed, guard)));

    // A group of rows contains the envelopes of STORE_BATCH / n bids, so the cost per row times n is the cost per bid.
    return evaluators * (await cpuPerGroupedItem(rows, (group) => insertEnvelopes(database.client, group).then(() => undefined)));
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Returns the CPU milliseconds per bid of the orchestrator's pending insert and acceptance, in groups of STORE_BATCH. */
async function orchestratorStorePerBid(bids: SealedBid[]): Promise<number> {
  const dataDir = mkdtempSync(join(temporaryRoot(), 'sealbid-floor-'));
  const database = await openDatabase({ role: 'orchestrator', dataDir, createClient: (adapter) => new OrchestratorClient({ adapter }) });
  try {
    const client = database.client;
    await client.auction.create({ data: { id: bids[0].target.auctionId, title: 'Floor', state: 'open' } });
    await client.bidder.createMany({ data: bids.map((bid) => ({ id: bid.target.bidderId, name: bid.target.bidderId })) });

    return await cpuPerGroupedItem(bids, async (group) => {
      await insertPendingGroup(client, group.map(pendingOf));
      await acceptGroup(client, group.map((bid) => ({ auctionId: bid.target.auctionId, submissionId: bid.target.submissionId, kind: 'bid' as const, bidderId: bid.target.bidderId, receipts: bid.receipts })));
    });
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function pendingOf(bid: SealedBid) {
  const envelopes = bid.sealed.map((item) => ({ party: item.evaluator, envelope: item.envelope, hash: item.hash }));
  return { id: bid.target.submissionId, auctionId: bid.target.auctionId, bidderId: bid.target.bidderId, kind: 'bid' as const, wonBitKey: null, envelopes };
}

// Each evaluator's envelopes go to an auction of their own, so the rows of one database stand for n databases.
function storedEnvelope(bid: SealedBid, signed: SealedBid['receipts'][number], guard: GuardedEnvelope['guard']): GuardedEnvelope {
  const party = signed.receipt.evaluator;
  const receipt = { ...signed.receipt, auctionId: `floor-${party}` };
  const accepted = {
    auctionId: receipt.auctionId,
    submissionId: receipt.submissionId,
    bidderId: receipt.bidderId,
    kind: 'bid' as const,
    envelope: bid.sealed[party - 1].envelope,
    wonBitKey: null,
    receipt,
    signature: signed.signature,
    shares: new Uint32Array(0),
  };
  return { accepted, guard };
}

/** Returns the CPU milliseconds per bid of the SDK's two exchanges, client and server in this process. */
async function httpPerBid(bids: number, evaluators: number): Promise<number> {
  const server = await startEchoServer();
  const port = (server.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const submission = JSON.stringify({ submissionId: randomUUID(), envelopes: 'e'.repeat(SUBMISSION_BYTES_PER_EVALUATOR * evaluators) });
  const oneBid = async (): Promise<void> => {
    await exchange(agent, port, 'GET', '', CONTEXT_RESPONSE_BYTES);
    await exchange(agent, port, 'POST', submission, SUBMISSION_RESPONSE_BYTES_PER_EVALUATOR * evaluators);
  };

  // Sixteen bids at a time, as SDK clients submit concurrently.
  const run = async (count: number): Promise<void> => {
    let next = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next++ < count) {
        await oneBid();
      }
    }));
  };
  await run(Math.ceil(bids / 10));
  const start = process.cpuUsage();
  await run(bids);
  const used = process.cpuUsage(start);

  agent.destroy();
  await new Promise((resolve) => server.close(resolve));
  return (used.user + used.system) / 1000 / bids;
}

async function main(): Promise<void> {
  const options = readCommandOptions(USAGE, 'npm run bench:floor', readOptions);
  if (options === null) {
    return;
  }

  const evaluators = Array.from({ length: options.evaluators }, (_, i) => ({ party: i + 1, sealing: generateSealingKeyPair(), signing: generateSigningKeyPair() }));
  const set = evaluatorSet(evaluators);
  const bids: SealedBid[] = [];
  const steps: Record<string, number> = {};

  steps.sdkSealMs = cpuPerItem(options.bids, (index) => (bids[index] = newBid(options.bits, set)));
  steps.evaluatorsOpenAndSignMs = cpuPerItem(options.bids, (index) => evaluators.forEach((evaluator) => receive(bids[index], evaluator, options.bits)));
  steps.orchestratorVerifyMs = cpuPerItem(options.bids, (index) => checkAtOrchestrator(bids[index], evaluators));
  steps.sdkVerifyMs = cpuPerItem(options.bids, (index) => verifyReceipts(bids[index].receipts, bids[index].target, bids[index].sealed, set));
  steps.httpTwoExchangesMs = await httpPerBid(options.bids, options.evaluators);
  steps.orchestratorStoreMs = await orchestratorStorePerBid(bids);
  steps.evaluatorsStoreMs = await storePerBid(bids, options.evaluators);

  const totalMs = Object.values(steps).reduce((sum, value) => sum + value, 0);
  const budgetMs = (os.cpus().length * 1000) / options.rate;
  print(options, steps, totalMs, budgetMs);
}

function print(options: Options, steps: Record<string, number>, totalMs: number, budgetMs: number): void {
  const round = (value: number): number => Math.round(value * 1000) / 1000;
  if (options.json) {
    const figures = Object.fromEntries(Object.entries(steps).map(([name, value]) => [name, round(value)]));
    console.log(JSON.stringify({ ...options, ...figures, totalMs: round(totalMs), budgetMs: round(budgetMs), machine: describeMachine() }));
    return;
  }
  console.log(`machine: ${describeMachine()}`);
  console.log(`${options.bids} bids, ${options.evaluators} evaluators, ${options.bits} bits; CPU ms per bid:`);
  for (const [name, value] of Object.entries(steps)) {
    console.log(`  ${name.padEnd(26)} ${value.toFixed(3)}`);
  }
  console.log(`  ${'total'.padEnd(26)} ${totalMs.toFixed(3)}`);
  console.log(`budget at ${options.rate} bids/s on ${os.cpus().length} cores: ${budgetMs.toFixed(3)} ms per bid, for every process together`);
}

await main();

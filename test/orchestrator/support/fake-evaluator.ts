/**
 * A scripted stand-in for one evaluator service, for orchestrator tests that
 * do not need real MPC. It speaks the evaluator REST contract with real keys:
 * it opens each envelope with its X25519 key (so a wrongly bound envelope is
 * rejected), signs real receipts and signs whatever outcome the test scripts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  envelopeHash,
  generateSealingKeyPair,
  generateSigningKeyPair,
  openEnvelope,
  signReceipt,
  signResult,
  submissionSetHash,
  toBase64Url,
  type KeyPair,
  type PublicOutcome,
  type SubmissionSet,
} from '../../../src/crypto/index.js';

export interface FakeRun {
  runId: string;
  set: SubmissionSet;
  setHash: string;
  /** The early closing time the compute request carried, or null. */
  closedAt: string | null;
}

/** Behaviour the test can change at any time. */
export interface FakeScript {
  /** When set, envelope intake returns HTTP 422 with this message. */
  rejectEnvelopes: string | null;
  /** The outcome signed for every run; null keeps runs computing forever. */
  outcome: PublicOutcome | null;
  /** When set, runs fail with this message. */
  failRuns: string | null;
  /** When true, results are signed with a key other than the pinned one. */
  signWithWrongKey: boolean;
  /** When set, compute requests are rejected with HTTP 400 and this message. */
  rejectRuns: string | null;
  /** Number of compute requests that still get 409 auction-not-closed, as before the evaluator's own close. */
  notClosedReplies: number;
  /** Runs that fail with failCode, whatever else is scripted. */
  failRunIds: Set<string>;
  /** Error code of scripted run failures. */
  failCode: string;
  /** When false, the identity reports that not every peer is connected. */
  healthy: boolean;
  /** When true, a compute request with waitMs gets the run view in response, as a result request does. */
  answersComputeWait: boolean;
}

export class FakeEvaluator {
  readonly sealing: KeyPair = generateSealingKeyPair();
  readonly signing: KeyPair = generateSigningKeyPair();
  readonly token = `fake-orchestrator-token-${'x'.repeat(24)}`;
  readonly script: FakeScript = {
    rejectEnvelopes: null,
    outcome: null,
    failRuns: null,
    signWithWrongKey: false,
    rejectRuns: null,
    notClosedReplies: 0,
    failRunIds: new Set(),
    failCode: 'protocol-aborted',
    healthy: true,
    answersComputeWait: true,
  };
  readonly registrations = new Map<string, Record<string, unknown>>();
  readonly envelopes = new Map<string, { bidderId: string; kind: string; hash: string }>();
  readonly runs = new Map<string, FakeRun>();
  /** The number of compute requests received, by run id. */
  readonly computeRequests = new Map<string, number>();
  /** The waitMs parameter of every result request, null where it was absent. */
  readonly resultWaits: Array<number | null> = [];
  /** The waitMs parameter of every compute request, null where it was absent. */
  readonly computeWaits: Array<number | null> = [];
  private server: Server | null = null;
  url = '';

  constructor(readonly party: number) {}

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: Error) => send(response, 500, { message: error.message }));
    });
    // A restarted fake listens on its first port again, because the pinned URL names it.
    const port = this.url === '' ? 0 : Number(new URL(this.url).port);
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
    this.server?.closeAllConnections();
  }

  /** Returns the entry for SEALBID_EVALUATORS. */
  pinned(): Record<string, unknown> {
    return {
      party: this.party,
      url: this.url,
      signingKey: toBase64Url(this.signing.publicKey),
      sealingKey: toBase64Url(this.sealing.publicKey),
      token: this.token,
    };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const body = await readBody(request);
    if (url.pathname === '/v1/identity') {
      const health = { status: this.script.healthy ? 'ok' : 'degraded' };
      return send(response, 200, { party: this.party, signingKey: toBase64Url(this.signing.publicKey), health });
    }
    if (request.headers.authorization !== `Bearer ${this.token}`) {
      return send(response, 401, { message: 'wrong token' });
    }

    const match = /^\/v1\/auctions\/([^/]+)(\/[a-z]+)?$/.exec(url.pathname);
    if (match === null) {
      return send(response, 404, { message: 'no route' });
    }
    const [, auctionId, action = ''] = match;
    if (request.method === 'PUT' && action === '') {
      this.registrations.set(auctionId, body);
      return send(response, 200, { auctionId });
    }
    if (request.method === 'POST' && action === '/envelopes') {
      return this.intake(auctionId, body, response);
    }
    if (request.method === 'POST' && action === '/compute') {
      const waitMs = url.searchParams.get('waitMs');
      this.computeWaits.push(waitMs === null ? null : Number(waitMs));
      return this.compute(auctionId, body, response, waitMs !== null && Number(waitMs) > 0);
    }
    if (request.method === 'GET' && action === '/result') {
      const waitMs = url.searchParams.get('waitMs');
      this.resultWaits.push(waitMs === null ? null : Number(waitMs));
      return this.result(auctionId, url.searchParams.get('runId') ?? '', response);
    }
    if (request.method === 'POST' && action === '/cancel') {
      return send(response, 200, {});
    }
    return send(response, 404, { message: 'no route' });
  }

  private intake(auctionId: string, body: Record<string, unknown>, response: ServerResponse): void {
    if (this.script.rejectEnvelopes !== null) {
      return send(response, 422, { error: 'invalid-envelope', message: this.script.rejectEnvelopes });
    }
    const bidderId = body.bidderId as string;
    const submissionId = body.submissionId as string;
    const binding = { auctionId, bidderId, submissionId, evaluator: this.party };
    try {
      openEnvelope(body.envelope, this.sealing.secretKey, { ...binding, wonBitKey: (body.wonBitKey as string | undefined) ?? null }).fill(0);
    } catch (error) {
      return send(response, 422, { error: 'invalid-envelope', message: (error as Error).message });
    }
    const hash = envelopeHash(body.envelope);
    this.envelopes.set(submissionId, { bidderId, kind: body.kind as string, hash });
    const receipt = { ...binding, envelopeHash: hash, receivedAt: new Date().toISOString(), onTime: true };
    send(response, 201, { receipt, signature: signReceipt(receipt, this.signing.secretKey) });
  }

  private compute(auctionId: string, body: Record<string, unknown>, response: ServerResponse, wait: boolean): void {
    const runId = String(body.runId);
    this.computeRequests.set(runId, (this.computeRequests.get(runId) ?? 0) + 1);
    if (this.script.rejectRuns !== null) {
      return send(response, 400, { error: 'invalid-submission-set', message: this.script.rejectRuns });
    }
    if (this.script.notClosedReplies > 0) {
      this.script.notClosedReplies--;
      return send(response, 409, { error: 'auction-not-closed', message: 'not closed by this evaluator clock' });
    }
    const set: SubmissionSet = {
      auctionId,
      bids: body.bids as SubmissionSet['bids'],
      reserveSubmissionId: body.reserveSubmissionId as string | null,
    };
    const setHash = submissionSetHash(set);
    if (setHash !== body.submissionSetHash) {
      return send(response, 400, { error: 'submission-set-hash-mismatch', message: 'hash differs' });
    }
    this.runs.set(runId, { runId, set, setHash, closedAt: (body.closedAt as string | undefined) ?? null });
    if (wait && this.script.answersComputeWait) {
      return send(response, 202, this.runBody(auctionId, this.runs.get(runId)!));
    }
    send(response, 202, { runId, state: 'agreeing', submissionSetHash: setHash });
  }

  private result(auctionId: string, runId: string, response: ServerResponse): void {
    const run = this.runs.get(runId);
    if (run === undefined) {
      return send(response, 404, { error: 'run-not-found', message: `no run ${runId}` });
    }
    send(response, 200, this.runBody(auctionId, run));
  }

  private runBody(auctionId: string, run: FakeRun): Record<string, unknown> {
    const { runId } = run;
    const base = { runId, submissionSetHash: run.setHash, agreement: null, wonBits: null };
    if (this.script.failRuns !== null || this.script.failRunIds.has(runId)) {
      const error = { code: this.script.failCode, message: this.script.failRuns ?? `scripted failure of ${runId}` };
      return { ...base, state: 'failed', result: null, error };
    }
    if (this.script.outcome === null) {
      return { ...base, state: 'computing', result: null, error: null };
    }
    const statement = { auctionId, runId, submissionSetHash: run.setHash, outcome: this.script.outcome };
    const key = this.script.signWithWrongKey ? generateSigningKeyPair().secretKey : this.signing.secretKey;
    const result = { statement, evaluator: this.party, signature: signResult(statement, key) };
    return { ...base, state: 'completed', result, error: null };
  }
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

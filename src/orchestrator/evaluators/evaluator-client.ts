import { Inject, Injectable } from '@nestjs/common';

import type { SubmissionSet } from '../../crypto/index.js';
import { ORCHESTRATOR_CONFIG } from '../common/tokens.js';
import type { OrchestratorConfig, PinnedEvaluator } from '../config/orchestrator-config.js';
import type { EnvelopeIntake, EvaluatorRunBody, RunStatus, SignedReceipt } from './evaluator-types.js';
import { EvaluatorRequestError, JsonText, requestJson } from './http-json.js';

/** The parameters of one run: its id, the hash of its set, and the early closing time as an ISO string (null after a close on time). */
export interface RunRequest {
  runId: string;
  setHash: string;
  closedAt: string | null;
}

export interface StartOptions {
  /** Called once the request body has been written to the socket. */
  onBodySent?: () => void;
  /** How long the evaluator may hold the response for the run to end, in milliseconds; 0 returns at once. */
  waitMs?: number;
}

/** Rules in the evaluators' JSON form: amounts are decimal strings of minor units, absent settings are omitted. */
export interface RulesBody {
  bits: number;
  direction: string;
  price: string;
  reserve?: { kind: 'public'; amount: string } | { kind: 'sealed' };
  minPrice?: string;
  minValidBids?: number;
  ties: string;
  disclosure: string;
}

/** Body sent to every evaluator when an auction opens, or when its closing time moves. */
export interface AuctionRegistration {
  rules: RulesBody;
  closesAt: string;
  parties: number;
  degree: number;
}

/** The public identity an evaluator reports about itself. */
export interface EvaluatorIdentity {
  party: number;
  parties: number;
  degree: number;
  signingKey: string;
  sealingKey: string;
  version: string;
  health: { status: 'ok' | 'degraded' };
}

/** HTTP client for the evaluators' REST API; every call carries the evaluator's bearer token. */
@Injectable()
export class EvaluatorClient {
  private readonly computeBodies = new WeakMap<SubmissionSet, RunRequest & { body: JsonText }>();

  constructor(@Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig) {}

  /** Fetches an evaluator's public identity. @throws EvaluatorRequestError. */
  async identity(evaluator: PinnedEvaluator): Promise<EvaluatorIdentity> {
    return requestJson<EvaluatorIdentity>({ method: 'GET', url: `${evaluator.url}/v1/identity`, timeoutMs: this.config.evaluatorTimeoutMs });
  }

  /** Registers an auction, or moves its closing time; repeating it is harmless. @throws EvaluatorRequestError. */
  async registerAuction(evaluator: PinnedEvaluator, auctionId: string, registration: AuctionRegistration): Promise<void> {
    await this.call(evaluator, 'PUT', `/v1/auctions/${auctionId}`, registration);
  }

  /** Tells an evaluator that an auction was cancelled. @throws EvaluatorRequestError. */
  async cancelAuction(evaluator: PinnedEvaluator, auctionId: string, reason: string): Promise<void> {
    await this.call(evaluator, 'POST', `/v1/auctions/${auctionId}/cancel`, { reason });
  }

  /** Forwards one envelope and returns the evaluator's signed receipt, not yet checked. @throws EvaluatorRequestError. */
  async submitEnvelope(evaluator: PinnedEvaluator, intake: EnvelopeIntake): Promise<SignedReceipt> {
    return this.call<SignedReceipt>(evaluator, 'POST', `/v1/auctions/${intake.auctionId}/envelopes`, envelopeBody(intake));
  }

  /**
   * Forwards many envelopes in one request and returns one outcome per
   * envelope, in order: a receipt (not yet checked) or the evaluator's error
   * body for that envelope.
   * @throws EvaluatorRequestError when the request as a whole fails.
   */
  async submitEnvelopes(evaluator: PinnedEvaluator, intakes: EnvelopeIntake[]): Promise<BatchOutcome[]> {
    const body = { envelopes: intakes.map((intake) => ({ auctionId: intake.auctionId, ...envelopeBody(intake) })) };
    const { results } = await this.call<{ results: BatchOutcome[] }>(evaluator, 'POST', '/v1/envelope-batches', body);
    if (!Array.isArray(results) || results.length !== intakes.length) {
      throw new EvaluatorRequestError(`POST /v1/envelope-batches returned ${Array.isArray(results) ? results.length : 'no'} results for ${intakes.length} envelopes`, 200);
    }
    return results;
  }

  /**
   * Starts a run over the ordered set and returns its state. With
   * run.closedAt set, the evaluator first moves its closing time back to it.
   * With waitMs > 0 the evaluator delays the response until the run ends
   * there or waitMs passes, so a completed run comes back with its result as
   * from runStatus. Repeating the same run is harmless.
   * @throws EvaluatorRequestError.
   */
  async startRun(evaluator: PinnedEvaluator, run: RunRequest, set: SubmissionSet, options: StartOptions = {}): Promise<RunStatus> {
    const waitMs = options.waitMs ?? 0;
    const path = `/v1/auctions/${set.auctionId}/compute${waitMs > 0 ? `?waitMs=${waitMs}` : ''}`;
    const timeoutMs = this.config.evaluatorTimeoutMs + waitMs;
    const body = await this.call<Partial<EvaluatorRunBody>>(evaluator, 'POST', path, this.computeBody(run, set), { onBodySent: options.onBodySent, timeoutMs });
    return toRunStatus(body);
  }

  // A run of 100,000 bids has a body of about 33 MB, so it is serialized once for all evaluators.
  private computeBody(run: RunRequest, set: SubmissionSet): JsonText {
    const { runId, setHash, closedAt } = run;
    const cached = this.computeBodies.get(set);
    if (cached?.runId === runId && cached.setHash === setHash && cached.closedAt === closedAt) {
      return cached.body;
    }
    const early = closedAt === null ? {} : { closedAt };
    const body = new JsonText(JSON.stringify({ runId, bids: set.bids, reserveSubmissionId: set.reserveSubmissionId, submissionSetHash: setHash, ...early }));
    this.computeBodies.set(set, { runId, setHash, closedAt, body });
    return body;
  }

  /**
   * Returns the status of a run at an evaluator ("unknown" when it has no such run).
   * With waitMs > 0 the evaluator answers as soon as the run ends, or after waitMs.
   * @throws EvaluatorRequestError.
   */
  async runStatus(evaluator: PinnedEvaluator, auctionId: string, runId: string, waitMs = 0): Promise<RunStatus> {
    const wait = waitMs > 0 ? `&waitMs=${waitMs}` : '';
    let body: EvaluatorRunBody;
    try {
      // The evaluator may hold the response for waitMs, so the request's deadline grows by as much.
      const path = `/v1/auctions/${auctionId}/result?runId=${encodeURIComponent(runId)}${wait}`;
      body = await this.call<EvaluatorRunBody>(evaluator, 'GET', path, undefined, { timeoutMs: this.config.evaluatorTimeoutMs + waitMs });
    } catch (error) {
      if (error instanceof EvaluatorRequestError && error.status === 404) {
        return { state: 'unknown' };
      }
      throw error;
    }
    return toRunStatus(body);
  }

  private call<T>(
    evaluator: PinnedEvaluator,
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: unknown,
    options: { timeoutMs?: number; onBodySent?: () => void } = {},
  ): Promise<T> {
    return requestJson<T>({
      method,
      url: `${evaluator.url}${path}`,
      body,
      headers: { authorization: `Bearer ${evaluator.token}` },
      timeoutMs: options.timeoutMs ?? this.config.evaluatorTimeoutMs,
      onBodySent: options.onBodySent,
    });
  }
}

/** The evaluator's response for one envelope of a batch: statusCode 200 or 201 with a receipt, or an error body. */
export type BatchOutcome = { statusCode: number; error?: string; message?: string } & Partial<SignedReceipt> & Record<string, unknown>;

function envelopeBody(intake: EnvelopeIntake): Record<string, unknown> {
  return {
    bidderId: intake.bidderId,
    submissionId: intake.submissionId,
    kind: intake.kind,
    envelope: intake.envelope,
    ...(intake.wonBitKey === null ? {} : { wonBitKey: intake.wonBitKey }),
  };
}

// A compute response without waitMs has only the run id, state and set hash, so every other field may be missing.
function toRunStatus(body: Partial<EvaluatorRunBody>): RunStatus {
  const openings = body.openings ?? null;
  const result = body.result ?? null;
  if (body.state === 'completed' && result !== null) {
    return {
      state: 'completed',
      result: { statement: result.statement, signature: result.signature, wonBits: body.wonBits ?? null },
      openings,
    };
  }
  if (body.state === 'failed') {
    const error = body.error ?? null;
    return { state: 'failed', code: error?.code ?? null, reason: error === null ? 'no reason given' : `${error.code}: ${error.message}`, openings };
  }
  if (body.state === 'agreeing' || body.state === 'computing') {
    return { state: body.state };
  }
  return { state: 'computing' };
}

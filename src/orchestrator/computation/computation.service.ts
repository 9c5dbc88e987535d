import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';

import { submissionSetHash, type SubmissionSet } from '../../crypto/index.js';
import { AuctionsService } from '../auctions/auctions.service.js';
import { LifecycleService } from '../auctions/lifecycle.service.js';
import { KeyedLock } from '../common/keyed-lock.js';
import { ORCHESTRATOR_CONFIG } from '../common/tokens.js';
import type { OrchestratorConfig, PinnedEvaluator } from '../config/orchestrator-config.js';
import { DatabaseService } from '../database/database.service.js';
import { EvaluatorClient, type RunRequest } from '../evaluators/evaluator-client.js';
import { EvaluatorRequestError } from '../evaluators/http-json.js';
import type { RunStatus } from '../evaluators/evaluator-types.js';
import { AuctionEvents } from '../events/auction-events.js';
import type { Auction, Computation, Prisma } from '../generated/prisma/client.js';
import { culprits, waitUntilAvailable } from './evaluator-availability.js';
import type { Agreement, CollectedResult } from './result-agreement.js';
import { ResultsService } from './results.service.js';
import type { ResultView } from './result-view.js';
import { judgeRun } from './run-verdict.js';
import { buildSubmissionSet } from './submission-list.js';

const POLL_INTERVAL_MS = 250;
/** How long one status request may wait at the evaluator for the run to end. */
const LONG_POLL_MS = 5_000;
/** How long the other evaluators get to report their final state once one evaluator's run failed. */
const FAILURE_GRACE_MS = 5_000;
/** Maximum wait for the compute request bodies to leave before the run is stored. */
const MAX_SEND_WAIT_MS = 5_000;
/** Failure codes of a run that a new run may not repeat: a peer or the evaluator itself was unavailable. */
const TRANSIENT_CODES = new Set(['peer-disconnected', 'peer-failed', 'evaluator-restarted', 'agreement-timeout', 'round-timeout']);

/** The number, id and set hash of a run before it is stored. */
interface RunPlan extends RunRequest {
  attempt: number;
}

/** A run whose results collect is gathering, with what it learned of each evaluator so far. */
interface CollectingRun {
  computation: Computation;
  request: RunRequest;
  set: SubmissionSet;
  /** Parties that accepted the compute request. */
  started: Set<number>;
  /** The error of each party's latest failed request. */
  lastError: Map<number, string>;
}

/**
 * Runs the computation of a closed auction: stores the ordered submission
 * set, requests every evaluator to compute over it, collects their signed
 * results, and either publishes the agreed result or fails the auction with
 * a reason that names the evaluator at fault. A run that failed only because
 * an evaluator was unavailable is given up and a new run (same set, new run
 * id) starts once every evaluator is back; if one is not back within
 * SEALBID_RECOVERY_TIMEOUT_MS, the auction fails with that reason.
 */
@Injectable()
export class ComputationService implements OnApplicationShutdown {
  private readonly logger = new Logger(ComputationService.name);
  private readonly driving = new Set<string>();
  /** Computations stored by begin and not yet driven, so that driving one does not read its submission set back. */
  private readonly begun = new Map<string, Computation>();
  /** Compute requests sent by begin before the run was stored, by run id and party. */
  private readonly earlyStarts = new Map<string, Map<number, Promise<RunStatus>>>();
  private stopped = false;

  constructor(
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
    private readonly database: DatabaseService,
    private readonly lifecycle: LifecycleService,
    private readonly auctions: AuctionsService,
    private readonly evaluators: EvaluatorClient,
    private readonly results: ResultsService,
    private readonly locks: KeyedLock,
    private readonly events: AuctionEvents,
  ) {}

  onApplicationShutdown(): void {
    this.stopped = true;
  }

  /** Returns whether this process is currently driving the auction's computation. */
  isDriving(auctionId: string): boolean {
    return this.driving.has(auctionId);
  }

  /**
   * Moves a closed auction to computing with its stored submission set, or
   * fails it when a sealed reserve was required but never received. The
   * compute requests go out before the set is stored, so that the
   * evaluators read and check them while the orchestrator writes the set:
   * 2.1 s at 100,000 bids, when the evaluators were otherwise idle. If the
   * store fails, the auction stays closed, and the next attempt requests
   * the same run id over the same set, to which the evaluators respond with
   * the run they already started. The orchestrator collects and publishes
   * results only of runs that it stored.
   */
  async begin(auctionId: string): Promise<void> {
    await this.locks.run(auctionId, async () => {
      const auction = await this.auctions.require(auctionId);
      if (auction.state !== 'closed') {
        return;
      }
      const set = await buildSubmissionSet(this.database.prisma, auctionId);
      if (auction.reserveKind === 'sealed' && set.reserveSubmissionId === null) {
        await this.lifecycle.transitionLocked(auctionId, 'failed', {
          reason: 'the sealed reserve was not received before close',
          onlyFrom: ['closed'],
        });
        return;
      }

      const plan = await this.planRun(set, auction);
      await this.startEarly(plan, set);
      // A holder, because TypeScript does not see the assignment inside the callback.
      const stored: { computation?: Computation } = {};
      try {
        await this.lifecycle.transitionLocked(auctionId, 'computing', {
          onlyFrom: ['closed'],
          writes: async (tx) => {
            stored.computation = await this.storeComputation(tx, set, plan);
          },
        });
      } finally {
        if (stored.computation === undefined) {
          this.earlyStarts.delete(plan.runId);
        }
      }
      if (stored.computation !== undefined) {
        this.begun.set(auctionId, stored.computation);
      }
    });
  }

  /** Starts driving the auction's latest computation in the background unless already doing so. */
  drive(auctionId: string): void {
    if (this.driving.has(auctionId) || this.stopped) {
      return;
    }
    this.driving.add(auctionId);
    this.driveLatest(auctionId)
      .catch((error: Error) => this.logger.error(`computation of auction ${auctionId} stopped: ${error.message}`, error.stack))
      .finally(() => this.driving.delete(auctionId));
  }

  /** Numbers the next run of the set's auction. The caller holds the auction's lock. */
  private async planRun(set: SubmissionSet, auction: Auction): Promise<RunPlan> {
    const counted = await this.database.prisma.$queryRaw<Array<{ runs: number }>>`SELECT count(*)::int AS runs FROM computations WHERE auction_id = ${set.auctionId}`;
    const attempt = counted[0].runs + 1;
    // Run ids are global at each evaluator, so they include the auction id.
    return { runId: `${set.auctionId}.run-${attempt}`, attempt, setHash: submissionSetHash(set), closedAt: earlyClose(auction) };
  }

  /**
   * Sends the run's compute request to every evaluator, to be awaited by the
   * first poll of collect, and resolves once every request body has left, or
   * after MAX_SEND_WAIT_MS. PGlite runs its statements on this thread, so
   * while the set is stored no more of the bodies would go out.
   */
  private async startEarly(plan: RunPlan, set: SubmissionSet): Promise<void> {
    const starts = new Map<number, Promise<RunStatus>>();
    const sent: Array<Promise<void>> = [];
    const waitMs = Math.min(LONG_POLL_MS, this.config.computeTimeoutMs);
    for (const evaluator of this.config.evaluators) {
      let bodySent = (): void => undefined;
      sent.push(new Promise((resolve) => (bodySent = resolve)));
      const start = this.evaluators.startRun(evaluator, plan, set, { onBodySent: () => bodySent(), waitMs });
      // The first poll awaits it and handles its error. This catch keeps an earlier rejection from counting as unhandled.
      start.catch(() => undefined).finally(() => bodySent());
      starts.set(evaluator.party, start);
    }
    this.earlyStarts.set(plan.runId, starts);

    let timer: NodeJS.Timeout | undefined;
    const capped = new Promise<void>((resolve) => (timer = setTimeout(resolve, MAX_SEND_WAIT_MS)));
    await Promise.race([Promise.all(sent), capped]);
    clearTimeout(timer);
  }

  /**
   * Stores the planned run over the set. The set goes in as JSON text through
   * a raw statement, because Prisma walks every value of a JSON argument:
   * 0.13 s for the 10 MB set of 30,000 bids. The stored set is not read back.
   */
  private async storeComputation(tx: Prisma.TransactionClient, set: SubmissionSet, plan: RunPlan): Promise<Computation> {
    const { runId, attempt, setHash } = plan;
    const rows = await tx.$queryRaw<Array<{ startedAt: Date }>>`
      INSERT INTO computations (run_id, auction_id, attempt, submissions, set_hash)
      VALUES (${runId}, ${set.auctionId}, ${attempt}, ${JSON.stringify(set)}::jsonb, ${setHash})
      RETURNING started_at AS "startedAt"`;
    const submissions = set as unknown as Prisma.JsonValue;
    return { runId, auctionId: set.auctionId, attempt, submissions, setHash, startedAt: rows[0].startedAt, failedAt: null, failureReason: null };
  }

  private async driveLatest(auctionId: string): Promise<void> {
    let computation = this.begun.get(auctionId) ?? (await this.database.prisma.computation.findFirst({ where: { auctionId }, orderBy: { attempt: 'desc' } }));
    this.begun.delete(auctionId);
    if (computation === null) {
      await this.fail(auctionId, 'no stored submission set to compute over');
      return;
    }
    const auction = await this.auctions.require(auctionId);

    // A run given up before a restart is not sent again. An evaluator that never received it would start it, wait in
    // the agreement for peers that already failed it, and reject the next run with run-in-progress until that wait timed out.
    if (computation.failedAt !== null) {
      this.logger.log(`run ${computation.runId} of auction ${auctionId} was given up before a restart, so a new run starts when every evaluator is back`);
      computation = await this.replace(computation, computation.failureReason ?? 'no reason stored');
    }

    while (computation !== null && !this.stopped) {
      this.logger.log(`computation ${computation.runId} of auction ${auctionId} started or resumed`);
      const collected = await this.collect(computation, earlyClose(auction));
      if (this.stopped) {
        return;
      }
      await this.storeEvaluatorResults(computation.runId, collected);
      const verdict = judgeRun(
        {
          expected: { auctionId, runId: computation.runId, submissionSetHash: computation.setHash },
          evaluators: this.config.evaluators,
          degree: this.config.degree,
          lottery: auction.ties === 'lottery',
        },
        collected,
      );
      if (verdict.kind === 'publish') {
        await this.publish(computation, verdict.agreement, collected);
        return;
      }
      if (verdict.kind === 'fail') {
        await this.fail(auctionId, verdict.reason);
        return;
      }
      computation = await this.retry(computation, verdict.reason);
    }
  }

  /**
   * Gives up a run that failed for lack of an evaluator and replaces it with
   * the next run. Returns null after failing the auction when the recovery
   * time is over.
   */
  private async retry(computation: Computation, reason: string): Promise<Computation | null> {
    const { auctionId, runId } = computation;
    await this.database.prisma.computation.updateMany({
      where: { runId, failedAt: null },
      data: { failedAt: new Date(), failureReason: reason.slice(0, 2000) },
    });
    this.logger.warn(`run ${runId} of auction ${auctionId} failed (${reason}); a new run starts when every evaluator is back`);

    return this.replace(computation, reason);
  }

  /**
   * Waits until every evaluator is back and stores the next run over the
   * same set as the given-up one. Returns null after failing the auction
   * when the recovery time is over.
   */
  private async replace(computation: Computation, reason: string): Promise<Computation | null> {
    const { auctionId, runId } = computation;
    // The recovery time counts from the first failed run, so a restart of the orchestrator does not extend it.
    const first = await this.database.prisma.computation.findFirst({ where: { auctionId, failedAt: { not: null } }, orderBy: { attempt: 'asc' } });
    const deadline = (first?.failedAt ?? new Date()).getTime() + this.config.recoveryTimeoutMs;

    const unavailable = await waitUntilAvailable(this.evaluators, this.config.evaluators, deadline, () => this.stopped);
    if (this.stopped) {
      return null;
    }
    const seconds = this.config.recoveryTimeoutMs / 1000;
    if (unavailable.length > 0) {
      const names = culprits(unavailable).map((entry) => `evaluator ${entry.party} ${entry.problem}`).join('; ');
      await this.fail(auctionId, `result not published: an evaluator did not come back within ${seconds} s after run ${runId} failed: ${names}; last failure: ${reason}`);
      return null;
    }
    if (Date.now() >= deadline) {
      await this.fail(auctionId, `result not published: runs kept failing for ${seconds} s; last failure of run ${runId}: ${reason}`);
      return null;
    }
    return this.nextComputation(computation);
  }

  private async nextComputation(previous: Computation): Promise<Computation | null> {
    const set = previous.submissions as unknown as SubmissionSet;
    return this.locks.run(previous.auctionId, async () => {
      const auction = await this.database.prisma.auction.findUniqueOrThrow({ where: { id: previous.auctionId } });
      if (auction.state !== 'computing') {
        return null;
      }
      const plan = await this.planRun(set, auction);
      const next = await this.database.prisma.$transaction((tx) => this.storeComputation(tx, set, plan));
      this.logger.log(`run ${next.runId} of auction ${previous.auctionId} replaces run ${previous.runId}`);
      return next;
    });
  }

  /**
   * Starts the run at every evaluator, then asks all of them at once for the
   * run's state, each request held until the run ends there or LONG_POLL_MS
   * passes, until each has a result or has failed, or time is up. Every run
   * needs all n evaluators, so once one failed the others get FAILURE_GRACE_MS
   * to report their final state and opening transcript.
   */
  private async collect(computation: Computation, closedAt: string | null): Promise<CollectedResult[]> {
    const run: CollectingRun = {
      computation,
      request: { runId: computation.runId, setHash: computation.setHash, closedAt },
      set: computation.submissions as unknown as SubmissionSet,
      started: new Set<number>(),
      lastError: new Map<number, string>(),
    };
    const deadline = computation.startedAt.getTime() + this.config.computeTimeoutMs;
    const pending = new Map(this.config.evaluators.map((evaluator) => [evaluator.party, evaluator]));
    const collected: CollectedResult[] = [];
    let failedAt: number | null = null;

    while (pending.size > 0 && Date.now() < deadline && !this.stopped) {
      const began = Date.now();
      const waitMs = Math.max(0, Math.min(LONG_POLL_MS, deadline - began, failedAt === null ? Infinity : failedAt + FAILURE_GRACE_MS - began));
      const evaluators = [...pending.values()];
      const entries = await Promise.all(evaluators.map((evaluator) => this.poll(run, evaluator, waitMs)));
      entries.forEach((entry, index) => {
        if (entry !== null) {
          collected.push(entry);
          pending.delete(evaluators[index].party);
          failedAt ??= 'error' in entry ? Date.now() : null;
        }
      });
      if (pending.size > 0 && failedAt !== null && Date.now() - failedAt >= FAILURE_GRACE_MS) {
        break;
      }
      // An evaluator that answered at once (an error, or one that does not hold requests) is asked again after a pause.
      if (pending.size > 0 && Date.now() - began < POLL_INTERVAL_MS) {
        await sleep(POLL_INTERVAL_MS - (Date.now() - began));
      }
    }

    for (const party of pending.keys()) {
      const cause = run.lastError.has(party) ? ` (last error: ${run.lastError.get(party)})` : '';
      const error = failedAt === null
        ? `did not return a result within ${this.config.computeTimeoutMs / 1000} s${cause}`
        : `did not report a final state after another evaluator's run failed${cause}`;
      collected.push({ party, error, transient: true });
    }
    return collected;
  }

  private async poll(run: CollectingRun, evaluator: PinnedEvaluator, waitMs: number): Promise<CollectedResult | null> {
    const { auctionId, runId } = run.computation;
    const { started, lastError } = run;
    try {
      // The compute request waits for the run as a status request would, so a started run needs no second request in this poll.
      const status = started.has(evaluator.party)
        ? await this.evaluators.runStatus(evaluator, auctionId, runId, waitMs)
        : await this.start(run, evaluator, waitMs);
      if (status.state === 'completed') {
        return { party: evaluator.party, result: status.result, openings: status.openings };
      }
      if (status.state === 'failed') {
        const transient = status.code !== null && TRANSIENT_CODES.has(status.code);
        return { party: evaluator.party, error: `reported that the run failed: ${status.reason}`, transient, openings: status.openings };
      }
      if (status.state === 'unknown') {
        started.delete(evaluator.party);
      }
    } catch (error) {
      // A rejected request (an invalid set, a run id conflict) fails the same way on every retry.
      if (error instanceof EvaluatorRequestError && !error.retryable) {
        return { party: evaluator.party, error: `rejected the run: ${error.message}` };
      }
      if (!lastError.has(evaluator.party)) {
        const step = started.has(evaluator.party) ? 'status request' : 'compute request';
        this.logger.warn(`${step} of run ${runId} to evaluator ${evaluator.party} failed: ${(error as Error).message}; retrying until it responds or the run times out`);
      }
      lastError.set(evaluator.party, (error as Error).message);
    }
    return null;
  }

  private async start(run: CollectingRun, evaluator: PinnedEvaluator, waitMs: number): Promise<RunStatus> {
    const early = this.takeEarlyStart(run.computation.runId, evaluator.party);
    const status = await (early ?? this.evaluators.startRun(evaluator, run.request, run.set, { waitMs }));
    run.started.add(evaluator.party);
    return status;
  }

  /** Returns the compute request that begin sent to the evaluator for this run, once, or undefined. */
  private takeEarlyStart(runId: string, party: number): Promise<RunStatus> | undefined {
    const starts = this.earlyStarts.get(runId);
    const start = starts?.get(party);
    starts?.delete(party);
    if (starts?.size === 0) {
      this.earlyStarts.delete(runId);
    }
    return start;
  }

  /** Records every evaluator's signed result of the run, in one statement. */
  private async storeEvaluatorResults(runId: string, collected: CollectedResult[]): Promise<void> {
    const results = collected.flatMap((entry) => ('result' in entry ? [{ party: entry.party, signed: entry.result }] : []));
    if (results.length === 0) {
      return;
    }
    await this.database.prisma.$executeRaw`
      INSERT INTO evaluator_results (run_id, party, signed, received_at)
      SELECT ${runId}, r.party, r.signed, ${new Date()} FROM jsonb_to_recordset(${JSON.stringify(results)}::jsonb) AS r(party int, signed jsonb)
      ON CONFLICT (run_id, party) DO UPDATE SET signed = excluded.signed`;
  }

  private async publish(computation: Computation, agreement: Extract<Agreement, { agreed: true }>, collected: CollectedResult[]): Promise<void> {
    const auctionId = computation.auctionId;
    const stored: { view?: ResultView } = {};
    const published = await this.lifecycle.transition(auctionId, 'settled', {
      onlyFrom: ['computing'],
      writes: async (tx, auction) => {
        stored.view = await this.results.store(tx, auction, computation, agreement, collected);
      },
    });
    if (published !== null && stored.view !== undefined) {
      this.results.keep(stored.view);
      this.logger.log(`result of auction ${auctionId} published (run ${computation.runId})`);
      this.events.publish({ type: 'result', auctionId, result: stored.view });
    }
  }

  private async fail(auctionId: string, reason: string): Promise<void> {
    this.logger.warn(`auction ${auctionId} failed: ${reason}`);
    await this.lifecycle.transition(auctionId, 'failed', { reason, onlyFrom: ['closed', 'computing'] });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Returns the time the operator closed the auction before its closing time, as an ISO string, or null after a close on time. */
function earlyClose(auction: Auction): string | null {
  const { closedAt, closesAt } = auction;
  return closedAt !== null && closesAt !== null && closedAt < closesAt ? closedAt.toISOString() : null;
}

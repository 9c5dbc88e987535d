import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';

import { submissionSetHash } from '../../crypto/index.js';
import { auctionRules, AuctionsService } from '../auctions/auctions.service.js';
import { badRequest, conflict, DomainError, notFound } from '../common/domain-error.js';
import { EVALUATOR_CONFIG } from '../common/tokens.js';
import type { EvaluatorConfig } from '../config/evaluator-config.js';
import { EvaluatorDatabase } from '../database/evaluator-database.js';
import type { Auction } from '../generated/prisma/client.js';
import { PeerNetwork } from '../peers/peer-network.js';
import type { ComputeDto } from './dto/compute.dto.js';
import { RunFailure } from './run-failure.js';
import { FinishedRuns } from './finished-runs.js';
import { RunExecutor, type ActiveRun } from './run-executor.js';
import { insertComputableRun, readRun } from './run-store.js';
import { toRunView, type RunView } from './run-view.js';

/** Longest time a status request may wait for a run to end, in milliseconds. */
export const MAX_WAIT_MS = 60_000;

/** Control message telling peers that a run failed here, so they stop waiting for it. */
interface RunFailedMessage {
  type: 'run-failed';
  runId: string;
  code: string;
}

/**
 * Starts runs on the orchestrator's request and reports their state. Runs go
 * on in the background; a lost peer or a peer's failure aborts every run in
 * progress, because each run needs all n parties.
 */
@Injectable()
export class ComputeService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ComputeService.name);
  private readonly active = new Map<string, ActiveRun>();
  private readonly starting = new Set<string>();
  /** Callers of status() waiting for a run to end, by run id. */
  private readonly endWaiters = new Map<string, Set<() => void>>();
  private readonly finished = new FinishedRuns();

  constructor(
    private readonly database: EvaluatorDatabase,
    private readonly auctions: AuctionsService,
    private readonly executor: RunExecutor,
    private readonly network: PeerNetwork,
    @Inject(EVALUATOR_CONFIG) private readonly config: EvaluatorConfig,
  ) {
    network.onPeerDown((peer, reason) => this.abortAll(new RunFailure('peer-disconnected', `lost connection to party ${peer}: ${reason}`)));
    network.onControlMessage((peer, message) => this.onPeerMessage(peer, message));
  }

  /** Marks runs left unfinished by a previous process as failed. */
  async onModuleInit(): Promise<void> {
    const { count } = await this.database.client.run.updateMany({
      where: { state: { in: ['agreeing', 'computing'] } },
      data: { state: 'failed', errorCode: 'evaluator-restarted', errorMessage: 'the evaluator restarted during the run', finishedAt: new Date() },
    });
    if (count > 0) {
      this.logger.warn(`marked ${count} unfinished runs as failed after a restart`);
    }
  }

  onApplicationShutdown(): void {
    this.abortAll(new RunFailure('evaluator-restarted', 'the evaluator is shutting down'));
  }

  /**
   * Starts a run, or returns the state of the same run when repeated.
   * @throws DomainError when the auction cannot compute now or the request conflicts with another run.
   */
  async start(auctionId: string, request: ComputeDto): Promise<{ view: RunView; created: boolean }> {
    if (this.starting.has(auctionId)) {
      throw conflict('run-in-progress', `a run of auction ${auctionId} is being started; retry in a moment`);
    }
    this.starting.add(auctionId);
    try {
      return await this.startLocked(auctionId, request);
    } finally {
      this.starting.delete(auctionId);
    }
  }

  /**
   * Returns the named run, or the latest run of the auction. With waitMs > 0
   * and the run still agreeing or computing here, it first waits until the
   * run ends or waitMs passes, so a caller learns the outcome without polling.
   * @throws DomainError 404 when the auction or run is unknown.
   */
  async status(auctionId: string, runId?: string, waitMs = 0): Promise<RunView> {
    // A named run in progress here is waited for before the one read of its state.
    const named = runId === undefined ? undefined : this.active.get(runId);
    if (waitMs > 0 && named?.auctionId === auctionId) {
      await this.runEnded(named.runId, waitMs);
      return this.finishedOrStored(auctionId, named.runId);
    }
    const view = await this.finishedOrStored(auctionId, runId);
    if (waitMs <= 0 || view.state === 'completed' || view.state === 'failed') {
      return view;
    }
    // A run that ended while it was read is no longer active, and the second read returns its final state.
    if (this.active.has(view.runId)) {
      await this.runEnded(view.runId, waitMs);
    }
    return this.finishedOrStored(auctionId, view.runId);
  }

  private finishedOrStored(auctionId: string, runId?: string): Promise<RunView> {
    const finished = this.finished.get(auctionId, runId);
    return finished === undefined ? this.readRun(auctionId, runId) : Promise.resolve(finished);
  }

  private async readRun(auctionId: string, runId?: string): Promise<RunView> {
    const run = await readRun(this.database.client, auctionId, runId);
    if (!run) {
      // The auction is read only now, so an unknown auction still gets auction-not-found.
      await this.auctions.get(auctionId);
      throw notFound('run-not-found', runId ? `run ${runId} of auction ${auctionId} not found` : `auction ${auctionId} has no run yet`);
    }
    return toRunView(run, this.config.index);
  }

  // Resolves when the run's final state is stored, or after waitMs.
  private runEnded(runId: string, waitMs: number): Promise<void> {
    return new Promise((resolve) => {
      const waiters = this.endWaiters.get(runId) ?? new Set<() => void>();
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      waiters.add(done);
      this.endWaiters.set(runId, waiters);
    });
  }

  private notifyEnded(runId: string): void {
    const waiters = this.endWaiters.get(runId);
    this.endWaiters.delete(runId);
    waiters?.forEach((done) => done());
  }

  private async startLocked(auctionId: string, request: ComputeDto): Promise<{ view: RunView; created: boolean }> {
    if (request.closedAt !== undefined) {
      await this.auctions.closeEarly(auctionId, new Date(request.closedAt));
    }
    const cached = this.auctions.cached(auctionId);
    const started = cached ? await this.startCached(cached, request) : null;
    if (started) {
      return { view: started, created: true };
    }
    return this.startFresh(auctionId, request);
  }

  /**
   * Starts the run with one guarded insert when the cached auction row passes
   * every check. Returns null when a check or the insert's guard fails, or the
   * run id exists, so that startFresh builds the response from a fresh read.
   */
  private async startCached(auction: Auction, request: ComputeDto): Promise<RunView | null> {
    let setHash: string;
    try {
      setHash = this.checkRequest(auction, request);
      this.checkComputable(auction);
    } catch (error) {
      if (error instanceof DomainError) {
        return null;
      }
      throw error;
    }

    const run = await insertComputableRun(this.database.client, {
      runId: request.runId,
      auctionId: auction.id,
      setHash,
      submissions: submissionsOf(request),
      rules: auction.rules,
      now: new Date(),
    });
    if (!run) {
      this.auctions.forget(auction.id);
      return null;
    }
    this.launch(auction, request, setHash);
    // A new run has no agreement or result yet, so its view needs no further read.
    return toRunView({ ...run, agreement: null, result: null }, this.config.index);
  }

  private async startFresh(auctionId: string, request: ComputeDto): Promise<{ view: RunView; created: boolean }> {
    const auction = await this.auctions.get(auctionId);
    const setHash = this.checkRequest(auction, request);

    const existing = await this.database.client.run.findUnique({ where: { id: request.runId } });
    if (existing) {
      if (existing.auctionId !== auctionId || existing.setHash !== setHash) {
        throw conflict('run-conflict', `run ${request.runId} already exists with another auction or submission set; use a new run id`);
      }
      return { view: await this.status(auctionId, request.runId), created: false };
    }
    this.checkComputable(auction);
    const busy = await this.database.client.run.findFirst({ where: { auctionId, state: { in: ['agreeing', 'computing'] } } });
    if (busy) {
      throw conflict('run-in-progress', `run ${busy.id} of auction ${auctionId} is still ${busy.state}; wait for it to finish`);
    }

    const run = await this.database.client.run.create({
      data: { id: request.runId, auctionId, setHash, submissions: submissionsOf(request) },
    });
    this.launch(auction, request, setHash);
    return { view: toRunView({ ...run, agreement: null, result: null }, this.config.index), created: true };
  }

  private launch(auction: Auction, request: ComputeDto, setHash: string): void {
    const active: ActiveRun = { runId: request.runId, auctionId: auction.id, controller: new AbortController(), runtime: null };
    this.active.set(active.runId, active);

    // execute() records its own failures and never rejects; the catch only keeps the bookkeeping below certain to run.
    const ended = this.executor.execute(active, auction, request, setHash).catch((error: unknown) => {
      this.logger.error(`run ${active.runId} of auction ${auction.id} ended with an unexpected error: ${(error as Error).message}`);
      return new RunFailure('computation-failed', 'the run ended with an unexpected error');
    });
    void ended.then((outcome) => {
      if (!(outcome instanceof RunFailure)) {
        this.finished.keep(auction.id, outcome);
      }
      this.active.delete(active.runId);
      this.notifyEnded(active.runId);
      if (outcome instanceof RunFailure && outcome.code !== 'peer-failed') {
        this.broadcastFailure({ type: 'run-failed', runId: active.runId, code: outcome.code });
      }
    });
  }

  private checkRequest(auction: Auction, request: ComputeDto): string {
    const bidders = new Set<string>();
    const submissions = new Set<string>();
    for (const bid of request.bids) {
      if (bidders.has(bid.bidderId) || submissions.has(bid.submissionId)) {
        throw badRequest('invalid-submission-set', `bidder ${bid.bidderId} or submission ${bid.submissionId} is listed twice`);
      }
      bidders.add(bid.bidderId);
      submissions.add(bid.submissionId);
      if (bid.envelopeHashes && bid.envelopeHashes.length !== this.config.parties) {
        throw badRequest('invalid-submission-set', `bid ${bid.submissionId} lists ${bid.envelopeHashes.length} envelope hashes, expected ${this.config.parties}`);
      }
    }
    this.checkReserve(auction, request);

    const setHash = submissionSetHash({ auctionId: auction.id, bids: request.bids, reserveSubmissionId: request.reserveSubmissionId ?? null });
    if (request.submissionSetHash && request.submissionSetHash !== setHash) {
      throw badRequest('submission-set-hash-mismatch', `submissionSetHash ${request.submissionSetHash} differs from this evaluator's hash ${setHash} of the request`);
    }
    return setHash;
  }

  private checkReserve(auction: Auction, request: ComputeDto): void {
    const sealed = auctionRules(auction).reserve?.kind === 'sealed';
    if (sealed && !request.reserveSubmissionId) {
      throw badRequest('invalid-submission-set', `auction ${auction.id} has a sealed reserve: name it in reserveSubmissionId`);
    }
    if (!sealed && request.reserveSubmissionId) {
      throw badRequest('invalid-submission-set', `auction ${auction.id} has no sealed reserve: remove reserveSubmissionId`);
    }
  }

  private checkComputable(auction: Auction): void {
    if (auction.state === 'cancelled') {
      throw conflict('auction-cancelled', `auction ${auction.id} was cancelled`);
    }
    if (auction.erasedAt) {
      throw conflict('envelopes-erased', `the envelopes of auction ${auction.id} were erased after the retention period`);
    }
    if (Date.now() < auction.closesAt.getTime()) {
      throw conflict('auction-not-closed', `auction ${auction.id} closes at ${auction.closesAt.toISOString()} by this evaluator's clock; retry after it`);
    }
  }

  private abortAll(failure: RunFailure): void {
    for (const active of this.active.values()) {
      this.abort(active, failure);
    }
  }

  private abort(active: ActiveRun, failure: RunFailure): void {
    if (!active.controller.signal.aborted) {
      active.controller.abort(failure);
    }
    active.runtime?.abort(failure);
  }

  private onPeerMessage(peer: number, raw: unknown): void {
    const message = raw as { type?: unknown; runId?: unknown; code?: unknown } | null;
    if (typeof message?.runId !== 'string') {
      return;
    }
    const runId = message.runId;
    if (message.type === 'set-signature' && !this.active.has(runId)) {
      this.reportFailedRun(peer, runId).catch((error: Error) => this.logger.warn(`sending run-failed for run ${runId} to party ${peer} failed: ${error.message}`));
      return;
    }
    const active = message.type === 'run-failed' ? this.active.get(runId) : undefined;
    if (active) {
      this.abort(active, new RunFailure('peer-failed', `party ${peer} aborted run ${runId} (${String(message.code)})`));
    }
  }

  /**
   * Sends run-failed to a peer that signed a run which already failed here,
   * as a restarted peer does when it is requested a run it never received.
   * Without the message the peer would wait for this evaluator's signature
   * until its agreement timeout, and reject newer runs of the auction with
   * run-in-progress meanwhile.
   */
  private async reportFailedRun(peer: number, runId: string): Promise<void> {
    const run = await this.database.client.run.findUnique({ where: { id: runId }, select: { state: true, errorCode: true } });
    if (run?.state !== 'failed') {
      return;
    }

    this.logger.warn(`party ${peer} signed run ${runId}, which failed here with ${run.errorCode}, so this evaluator sends it run-failed`);
    const message: RunFailedMessage = { type: 'run-failed', runId, code: run.errorCode ?? 'computation-failed' };
    this.network.sendControl(peer, message);
  }

  private broadcastFailure(message: RunFailedMessage): void {
    for (const peer of this.config.peers) {
      try {
        this.network.sendControl(peer.index, message);
      } catch {
        // A peer that is not connected has lost the run anyway.
      }
    }
  }
}

/**
 * Returns what a run stores of its submission set: the number of bids and the
 * reserve. The set hash stored beside it names the whole list, which the
 * orchestrator keeps. Storing the list itself cost each evaluator more than
 * a second at 30,000 bids, on the path from close to result.
 */
function submissionsOf(request: ComputeDto): object {
  return { bids: request.bids.length, reserveSubmissionId: request.reserveSubmissionId ?? null };
}

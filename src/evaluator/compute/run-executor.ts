import { Inject, Injectable, Logger } from '@nestjs/common';

import {
  fromBase64Url,
  sealWonBit,
  signResult,
  toPublicOutcome,
  type ResultStatement,
} from '../../crypto/index.js';
import { PartyRuntime, runAuction, type AuctionRules, type PartyAuctionResult, type RunStats } from '../../mpc/index.js';
import { auctionRules } from '../auctions/auctions.service.js';
import { EVALUATOR_CONFIG, EVALUATOR_KEYS } from '../common/tokens.js';
import type { EvaluatorConfig } from '../config/evaluator-config.js';
import { EvaluatorDatabase } from '../database/evaluator-database.js';
import type { Auction } from '../generated/prisma/client.js';
import type { EvaluatorKeys } from '../keys/index.js';
import { PeerTransport } from '../peers/peer-transport.js';
import { AgreementService, type AgreementSignature } from './agreement.service.js';
import type { ComputeDto } from './dto/compute.dto.js';
import { OpeningRecorder } from './opening-recorder.js';
import { signTranscript, toRunFailure, type SignedOpeningTranscript } from './run-evidence.js';
import type { RunFailure } from './run-failure.js';
import { OpenedShares } from '../intake/opened-shares.js';
import { buildRunInputs, collectEnvelopes, type StoredEnvelope } from './run-inputs.js';
import { storeAgreement, storeCompletion, type Completion } from './run-store.js';
import type { RunView, SealedWonBit } from './run-view.js';

/** A run in progress and the means to stop it. */
export interface ActiveRun {
  runId: string;
  auctionId: string;
  controller: AbortController;
  runtime: PartyRuntime | null;
}

/** Maximum wait, in milliseconds, for the rest of an opening round after a run aborted in it. */
const SETTLE_GRACE_MS = 2_000;

/** Envelopes read per statement when the intake kept no shares for them, such as after a restart. */
const SEALED_READ_BATCH = 5_000;

/**
 * Executes one run: agreement on the submission set, opening the envelopes in
 * memory, the MPC computation with the peers, then signing and storing the
 * outcome. Every failure is stored on the run with a code. Completed and
 * failed runs alike store a signed transcript of their openings.
 */
@Injectable()
export class RunExecutor {
  private readonly logger = new Logger(RunExecutor.name);

  constructor(
    private readonly database: EvaluatorDatabase,
    private readonly agreement: AgreementService,
    private readonly transport: PeerTransport,
    @Inject(EVALUATOR_CONFIG) private readonly config: EvaluatorConfig,
    @Inject(EVALUATOR_KEYS) private readonly keys: EvaluatorKeys,
    private readonly opened: OpenedShares,
  ) {}

  /**
   * Runs to completion or records the failure on the run, so the returned
   * promise never rejects. Resolves to the failure, or to the view of the
   * completed run as it was stored.
   */
  async execute(active: ActiveRun, auction: Auction, request: ComputeDto, setHash: string): Promise<RunFailure | RunView> {
    const started = Date.now();
    this.logger.log(`run ${active.runId} of auction ${auction.id} started with ${request.bids.length} bids`);
    const recorder = new OpeningRecorder({ runId: active.runId, party: this.config.index, parties: this.config.parties, degree: this.config.degree });
    const transcript = () => signTranscript(recorder, { auctionId: auction.id, runId: active.runId, evaluator: this.config.index }, this.keys.signing.secretKey);
    try {
      const agreed = await this.agreement.agree({ auctionId: auction.id, runId: active.runId, submissionSetHash: setHash }, active.controller.signal);
      recorder.start(agreed.openingSalt);
      await storeAgreement(this.database.client, active.runId, setHash, agreed.signatures);

      const { result, stats } = await this.compute(active, auction, request, recorder);
      const completion = await this.complete(active, auction, setHash, result, request, transcript(), stats);
      this.opened.forget(auction.id);
      this.logger.log(
        `run ${active.runId} of auction ${auction.id} completed in ${Date.now() - started} ms ` +
          `(${stats.rounds} rounds, ${stats.bytesSent} bytes sent): ${result.outcome.status}`,
      );
      return completedView(completion, setHash, agreed.signatures, this.config.index);
    } catch (error) {
      await recorder.settle(Math.min(SETTLE_GRACE_MS, this.config.roundTimeoutMs));
      const failure = toRunFailure(error, recorder);
      await this.fail(active, failure, transcript());
      return failure;
    }
  }

  private async compute(active: ActiveRun, auction: Auction, request: ComputeDto, recorder: OpeningRecorder) {
    const rules = auctionRules(auction);
    const listed = new Set(request.bids.map((bid) => bid.submissionId));
    if (request.reserveSubmissionId) {
      listed.add(request.reserveSubmissionId);
    }
    const envelopes = await this.listedEnvelopes(auction.id, listed);
    const inputs = buildRunInputs(
      {
        auctionId: auction.id,
        evaluator: this.config.index,
        bits: rules.bits,
        sealingSecretKey: this.keys.sealing.secretKey,
        envelopes,
        copyKeptShares: (envelope, target) => this.opened.copyInto(auction.id, envelope, target),
      },
      request.bids,
      request.reserveSubmissionId ?? null,
    );

    let runtime: PartyRuntime | null = null;
    try {
      runtime = this.createRuntime(active, recorder);
      const result = await runAuction(runtime, inputs.input, rules);
      return { result: this.withWonBitKeys(result, inputs.wonBitKeys, rules), stats: { ...runtime.stats } };
    } finally {
      inputs.wipe();
      runtime?.close();
      active.runtime = null;
    }
  }

  /**
   * Returns the listed envelopes. Those whose shares the intake kept come
   * from memory, and only the others, as after a restart, are read with
   * their sealed content. Reading every row took each evaluator 0.4 to 0.7 s
   * at 30,000 bids, between close and result.
   */
  private async listedEnvelopes(auctionId: string, listed: Set<string>): Promise<Map<string, StoredEnvelope>> {
    const columns = { submissionId: true, bidderId: true, kind: true, hash: true, wonBitKey: true, sealed: true } as const;
    const read = (submissionIds: string[]) =>
      this.database.client.envelope.findMany({ where: { auctionId, submissionId: { in: submissionIds } }, select: columns });
    return collectEnvelopes(listed, (submissionId) => this.opened.keptEnvelope(auctionId, submissionId), read, SEALED_READ_BATCH);
  }

  private createRuntime(active: ActiveRun, recorder: OpeningRecorder): PartyRuntime {
    if (active.controller.signal.aborted) {
      throw active.controller.signal.reason;
    }
    const runtime = new PartyRuntime({
      runId: active.runId,
      party: this.config.index,
      parties: this.config.parties,
      degree: this.config.degree,
      transport: recorder.wrap(this.transport),
      timeoutMs: this.config.roundTimeoutMs,
    });
    active.runtime = runtime;
    return runtime;
  }

  private withWonBitKeys(result: PartyAuctionResult, keys: Array<string | null>, rules: AuctionRules) {
    return { ...result, wonBitKeys: rules.disclosure === 'amount-only' ? keys : null };
  }

  private async complete(
    active: ActiveRun,
    auction: Auction,
    setHash: string,
    result: PartyAuctionResult & { wonBitKeys: Array<string | null> | null },
    request: ComputeDto,
    openings: SignedOpeningTranscript | null,
    stats: RunStats,
  ): Promise<Completion> {
    const statement: ResultStatement = {
      auctionId: auction.id,
      runId: active.runId,
      submissionSetHash: setHash,
      outcome: toPublicOutcome(result.outcome),
    };
    const signature = signResult(statement, this.keys.signing.secretKey);
    const wonBits = this.sealWonBits(active, auction.id, result, request);
    const completion = { runId: active.runId, auctionId: auction.id, statement, signature, wonBits, openings, stats: { ...stats } };
    await storeCompletion(this.database.client, completion);
    return completion;
  }

  private sealWonBits(
    active: ActiveRun,
    auctionId: string,
    result: PartyAuctionResult & { wonBitKeys: Array<string | null> | null },
    request: ComputeDto,
  ): SealedWonBit[] | null {
    const shares = result.wonBitShares;
    if (!shares || !result.wonBitKeys) {
      return null;
    }
    const keys = result.wonBitKeys;
    const sealed = request.bids.map((bid, position) => {
      const key = keys[position];
      const binding = { auctionId, runId: active.runId, bidderId: bid.bidderId, submissionId: bid.submissionId, evaluator: this.config.index };
      return { bidderId: bid.bidderId, submissionId: bid.submissionId, sealed: key ? sealWonBit(shares[position], fromBase64Url(key), binding) : null };
    });
    shares.fill(0);
    return sealed;
  }

  private async fail(active: ActiveRun, failure: RunFailure, openings: SignedOpeningTranscript | null): Promise<void> {
    this.logger.error(`run ${active.runId} of auction ${active.auctionId} failed (${failure.code}): ${failure.message}`);
    try {
      await this.database.client.run.update({
        where: { id: active.runId },
        data: {
          state: 'failed',
          errorCode: failure.code,
          errorMessage: failure.message.slice(0, 2000),
          finishedAt: new Date(),
          openings: (openings as object | null) ?? undefined,
        },
      });
    } catch (error) {
      this.logger.error(`could not record the failure of run ${active.runId}: ${(error as Error).message}`);
    }
  }
}

/** Builds the view of a completed run from the values just stored, equal to the view read back from its rows. */
export function completedView(completion: Completion, setHash: string, signatures: AgreementSignature[], evaluator: number): RunView {
  return {
    runId: completion.runId,
    state: 'completed',
    submissionSetHash: setHash,
    agreement: { setHash, signatures },
    result: { statement: completion.statement, evaluator, signature: completion.signature },
    wonBits: completion.wonBits,
    error: null,
    openings: completion.openings,
    stats: completion.stats,
  };
}

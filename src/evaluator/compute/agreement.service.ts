import { Inject, Injectable, Logger } from '@nestjs/common';

import { randomBytes } from 'node:crypto';

import {
  fromBase64Url,
  openingSalt,
  signSubmissionSetAgreement,
  toBase64Url,
  verifySubmissionSetAgreement,
  type SubmissionSetAgreement,
} from '../../crypto/index.js';
import { EVALUATOR_CONFIG, EVALUATOR_KEYS } from '../common/tokens.js';
import type { EvaluatorConfig } from '../config/evaluator-config.js';
import type { EvaluatorKeys } from '../keys/index.js';
import { PeerNetwork, PeerUnavailableError } from '../peers/peer-network.js';
import { RunFailure } from './run-failure.js';

/** One evaluator's signature over the submission set of a run. */
export interface AgreementSignature {
  evaluator: number;
  signature: string;
}

/** The outcome of an agreement: every evaluator's signature and the run's opening digest salt. */
export interface AgreedSet {
  signatures: AgreementSignature[];
  /** Salt of the opening transcript digests, drawn jointly and never sent to the orchestrator. */
  openingSalt: Uint8Array;
}

/** The control message that carries a set signature. */
interface SetSignatureMessage {
  type: 'set-signature';
  auctionId: string;
  runId: string;
  submissionSetHash: string;
  evaluator: number;
  signature: string;
  /** This evaluator's random share of the opening digest salt (32 bytes, base64url). */
  saltShare: string;
}

const MAX_EARLY_RUNS = 256;
const RESEND_INTERVAL_MS = 250;

/**
 * Agreement on the submission set before a run computes: every evaluator
 * signs (auctionId, runId, set hash) and sends the signature to every peer.
 * The run goes on only when all n evaluators signed the same hash. Signatures
 * that arrive before this evaluator starts the run are kept for a while.
 */
@Injectable()
export class AgreementService {
  private readonly logger = new Logger(AgreementService.name);
  private readonly received = new Map<string, { messages: Map<number, SetSignatureMessage>; expires: number }>();
  private readonly waiters = new Map<string, () => void>();

  constructor(
    private readonly network: PeerNetwork,
    @Inject(EVALUATOR_CONFIG) private readonly config: EvaluatorConfig,
    @Inject(EVALUATOR_KEYS) private readonly keys: EvaluatorKeys,
  ) {
    network.onControlMessage((peer, message) => this.receive(peer, message));
  }

  /**
   * Runs the agreement for one run and returns every evaluator's signature
   * in party order, with the opening digest salt drawn from every
   * evaluator's salt share. The shares travel only over the encrypted peer
   * channel.
   * @throws RunFailure when a peer signed another hash or an invalid signature,
   *   the timeout passes, or the signal aborts (a peer disconnected).
   */
  async agree(statement: Omit<SubmissionSetAgreement, 'evaluator'>, signal: AbortSignal): Promise<AgreedSet> {
    const own: SubmissionSetAgreement = { ...statement, evaluator: this.config.index };
    const signature = signSubmissionSetAgreement(own, this.keys.signing.secretKey);
    const saltShare = toBase64Url(randomBytes(32));
    const message: SetSignatureMessage = { type: 'set-signature', ...own, signature, saltShare };

    const messages = await this.collect(message, signal);
    messages.set(this.config.index, message);
    const signatures = [{ evaluator: this.config.index, signature }];
    for (const peer of this.config.peers) {
      signatures.push({ evaluator: peer.index, signature: this.check(statement, messages.get(peer.index)!, peer.signingPublicKey) });
    }
    this.received.delete(statement.runId);
    const shares = Array.from({ length: this.config.parties }, (_, index) => fromBase64Url(messages.get(index + 1)!.saltShare));
    return { signatures: signatures.sort((a, b) => a.evaluator - b.evaluator), openingSalt: openingSalt(statement.runId, shares) };
  }

  private collect(message: SetSignatureMessage, signal: AbortSignal): Promise<Map<number, SetSignatureMessage>> {
    const runId = message.runId;
    const unsent = new Set(this.config.peers.map((peer) => peer.index));

    return new Promise((resolve, reject) => {
      const finish = (error?: Error): void => {
        clearInterval(resend);
        clearTimeout(timeout);
        signal.removeEventListener('abort', onAbort);
        this.waiters.delete(runId);
        if (error) {
          reject(error);
        } else {
          resolve(this.received.get(runId)?.messages ?? new Map());
        }
      };
      const check = (): void => {
        const count = this.received.get(runId)?.messages.size ?? 0;
        if (count === this.config.peers.length) {
          finish();
        }
      };
      const send = (): void => this.sendPending(message, unsent);
      const onAbort = (): void => finish(signal.reason instanceof Error ? signal.reason : new RunFailure('peer-disconnected', String(signal.reason)));
      const resend = setInterval(send, RESEND_INTERVAL_MS);
      const timeout = setTimeout(() => finish(this.timeoutFailure(runId)), this.config.agreementTimeoutMs);

      signal.addEventListener('abort', onAbort);
      this.waiters.set(runId, check);
      send();
      check();
    });
  }

  // Peers that are reconnecting get the signature as soon as their connection is back.
  private sendPending(message: SetSignatureMessage, unsent: Set<number>): void {
    for (const peer of [...unsent]) {
      try {
        this.network.sendControl(peer, message);
        unsent.delete(peer);
      } catch (error) {
        if (!(error instanceof PeerUnavailableError)) {
          throw error;
        }
      }
    }
  }

  private check(statement: Omit<SubmissionSetAgreement, 'evaluator'>, message: SetSignatureMessage, key: Uint8Array): string {
    if (message.auctionId !== statement.auctionId || message.submissionSetHash !== statement.submissionSetHash) {
      throw new RunFailure(
        'submission-set-mismatch',
        `party ${message.evaluator} signed submission set ${message.submissionSetHash} of auction ${message.auctionId} ` +
          `for run ${statement.runId}, but this evaluator computed ${statement.submissionSetHash} of auction ${statement.auctionId}`,
      );
    }
    if (!verifySubmissionSetAgreement({ ...statement, evaluator: message.evaluator }, message.signature, key)) {
      throw new RunFailure('invalid-agreement-signature', `party ${message.evaluator} sent a submission set signature that does not verify`);
    }
    return message.signature;
  }

  private timeoutFailure(runId: string): RunFailure {
    const have = new Set(this.received.get(runId)?.messages.keys() ?? []);
    const missing = this.config.peers.filter((peer) => !have.has(peer.index)).map((peer) => peer.index);
    return new RunFailure(
      'agreement-timeout',
      `no submission set signature from parties ${missing.join(', ')} within ${this.config.agreementTimeoutMs} ms; ` +
        'check that the orchestrator asked every evaluator to compute this run',
    );
  }

  private receive(peer: number, raw: unknown): void {
    const message = raw as Partial<SetSignatureMessage>;
    if (message?.type !== 'set-signature') {
      return;
    }
    if (message.evaluator !== peer || typeof message.runId !== 'string' || typeof message.signature !== 'string' || !isSaltShare(message.saltShare)) {
      this.logger.warn(`ignored a malformed submission set signature from party ${peer}`);
      return;
    }

    const now = Date.now();
    this.dropExpired(now);
    let entry = this.received.get(message.runId);
    if (!entry) {
      if (this.received.size >= MAX_EARLY_RUNS) {
        this.logger.warn(`ignored a submission set signature for run ${message.runId} from party ${peer}: too many runs pending`);
        return;
      }
      entry = { messages: new Map(), expires: now + 2 * this.config.agreementTimeoutMs };
      this.received.set(message.runId, entry);
    }
    entry.messages.set(peer, message as SetSignatureMessage);
    this.waiters.get(message.runId)?.();
  }

  private dropExpired(now: number): void {
    for (const [runId, entry] of this.received) {
      if (entry.expires <= now && !this.waiters.has(runId)) {
        this.received.delete(runId);
      }
    }
  }
}

function isSaltShare(value: unknown): boolean {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}

import { Inject, Injectable, Logger } from '@nestjs/common';

import type { MessageReceiver, ProtocolMessage, Transport } from '../../mpc/index.js';
import { EVALUATOR_CONFIG } from '../common/tokens.js';
import type { EvaluatorConfig } from '../config/evaluator-config.js';
import { PeerNetwork } from './peer-network.js';

/** Most messages kept for one run that has no receiver yet. */
const MAX_BUFFERED_PER_RUN = 4096;
/** Most runs with buffered messages at once. */
const MAX_BUFFERED_RUNS = 64;

interface Buffered {
  messages: ProtocolMessage[];
  expires: number;
  dropped: number;
}

/**
 * The MPC Transport over the peer network. Messages of a run that has not
 * started here yet (a peer may start a moment earlier) are buffered, up to a
 * bound per run and in total, and dropped when no receiver registers for them within
 * the agreement timeout plus one round timeout.
 */
@Injectable()
export class PeerTransport implements Transport {
  private readonly logger = new Logger(PeerTransport.name);
  private readonly receivers = new Map<string, MessageReceiver>();
  private readonly buffered = new Map<string, Buffered>();
  private readonly bufferMs: number;
  private droppedRuns = 0;

  constructor(
    private readonly network: PeerNetwork,
    @Inject(EVALUATOR_CONFIG) config: EvaluatorConfig,
  ) {
    this.bufferMs = config.agreementTimeoutMs + config.roundTimeoutMs;
    network.onProtocolMessage((message) => this.deliver(message));
  }

  send(message: ProtocolMessage): void {
    this.network.sendProtocol(message);
  }

  listen(runId: string, receiver: MessageReceiver): () => void {
    if (this.receivers.has(runId)) {
      throw new Error(`run ${runId} already has a receiver on this evaluator`);
    }
    this.receivers.set(runId, receiver);
    const waiting = this.buffered.get(runId);
    this.buffered.delete(runId);
    waiting?.messages.forEach((message) => receiver(message));

    return () => {
      if (this.receivers.get(runId) === receiver) {
        this.receivers.delete(runId);
      }
    };
  }

  /** Passes a message to its run's receiver, or buffers it until the run starts. */
  deliver(message: ProtocolMessage): void {
    const receiver = this.receivers.get(message.runId);
    if (receiver) {
      receiver(message);
      return;
    }
    this.buffer(message);
  }

  private buffer(message: ProtocolMessage): void {
    const now = Date.now();
    this.dropExpired(now);

    let entry = this.buffered.get(message.runId);
    if (!entry) {
      if (this.buffered.size >= MAX_BUFFERED_RUNS) {
        // Logged once per series of drops, so a flood does not flood the log too.
        if (this.droppedRuns++ === 0) {
          this.logger.warn(`dropping messages of run ${message.runId} and others: ${MAX_BUFFERED_RUNS} runs are already buffered`);
        }
        return;
      }
      this.droppedRuns = 0;
      entry = { messages: [], expires: now + this.bufferMs, dropped: 0 };
      this.buffered.set(message.runId, entry);
    }
    if (entry.messages.length >= MAX_BUFFERED_PER_RUN) {
      if (entry.dropped++ === 0) {
        this.logger.warn(`dropping messages of run ${message.runId} from party ${message.from}: its buffer of ${MAX_BUFFERED_PER_RUN} is full`);
      }
      return;
    }
    entry.messages.push(message);
  }

  private dropExpired(now: number): void {
    for (const [runId, entry] of this.buffered) {
      if (entry.expires <= now) {
        this.buffered.delete(runId);
        this.logger.warn(`dropped ${entry.messages.length} buffered messages of run ${runId}: the run never started here`);
      }
    }
  }
}

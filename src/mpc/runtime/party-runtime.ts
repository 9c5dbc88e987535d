import { checkParams } from '../shamir/params.js';
import { secureRandom, type RandomSource } from '../random.js';
import { ProtocolAbortError } from './errors.js';
import type { ProtocolMessage, Transport } from './transport.js';

export interface RuntimeOptions {
  runId: string;
  /** This party's number, 1..parties; also its evaluation point. */
  party: number;
  parties: number;
  degree: number;
  transport: Transport;
  /** How long one round waits for its peers' messages; default 30 s. */
  timeoutMs?: number;
  random?: RandomSource;
}

/** Counters of one party's view of a run. */
export interface RunStats {
  rounds: number;
  /** Degree reductions performed: one per product or inner product. */
  multiplications: number;
  /** Bytes this party sent, counted in the wire format. */
  bytesSent: number;
}

/** Bytes of a wire message besides its names and payload: see wire.ts. */
const FIXED_HEADER_BYTES = 15;

interface PendingRound {
  round: number;
  operation: string;
  resolve: (messages: Map<number, ProtocolMessage>) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * One party's side of a protocol run. Parties run the same program, so round
 * r of every party carries the same operation; each round sends one message
 * to every peer and waits for one message from every peer. A message from a
 * round already finished (a duplicate or replay), more than one round ahead,
 * for another run, or with another operation than expected aborts the run.
 */
export class PartyRuntime {
  readonly runId: string;
  readonly party: number;
  readonly parties: number;
  readonly degree: number;
  readonly random: RandomSource;
  readonly stats: RunStats = { rounds: 0, multiplications: 0, bytesSent: 0 };

  private readonly transport: Transport;
  private readonly timeoutMs: number;
  private readonly inbox = new Map<number, Map<number, ProtocolMessage>>();
  private readonly unlisten: () => void;
  private completedRounds = 0;
  private pending: PendingRound | null = null;
  private failure: Error | null = null;

  constructor(options: RuntimeOptions) {
    checkParams(options);
    if (!Number.isInteger(options.party) || options.party < 1 || options.party > options.parties) {
      throw new RangeError(`party must be an integer from 1 to ${options.parties}, got ${options.party}`);
    }
    this.runId = options.runId;
    this.party = options.party;
    this.parties = options.parties;
    this.degree = options.degree;
    this.transport = options.transport;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.random = options.random ?? secureRandom;
    this.unlisten = this.transport.listen(this.runId, (message) => this.receive(message));
  }

  /**
   * Runs one round: sends outgoing(peer) to every peer and returns the payloads
   * of all parties, indexed by party - 1 (this party's own entry included).
   * @throws ProtocolAbortError when the run is aborted or a peer's message does not arrive in time.
   */
  async exchange(operation: string, outgoing: (peer: number) => Uint32Array): Promise<Uint32Array[]> {
    if (this.failure) {
      throw this.failure;
    }
    if (this.pending) {
      throw new ProtocolAbortError(`round ${this.pending.round} is still running; rounds must not overlap`);
    }
    const round = this.completedRounds;
    const own = outgoing(this.party);
    this.stats.rounds++;

    for (let peer = 1; peer <= this.parties; peer++) {
      if (peer !== this.party) {
        this.sendTo(peer, round, operation, outgoing(peer));
      }
    }
    const messages = await this.awaitRound(round, operation);

    const payloads: Uint32Array[] = [];
    for (let peer = 1; peer <= this.parties; peer++) {
      payloads.push(peer === this.party ? own : messages.get(peer)!.payload);
    }
    return payloads;
  }

  /** Makes the pending round and every later one fail with error. */
  abort(error: Error): void {
    if (this.failure) {
      return;
    }
    this.failure = error;
    if (this.pending) {
      clearTimeout(this.pending.timer);
      this.pending.reject(error);
      this.pending = null;
    }
  }

  /** Stops receiving messages for this run. */
  close(): void {
    this.unlisten();
    this.abort(new ProtocolAbortError(`run ${this.runId} is closed`));
  }

  private sendTo(peer: number, round: number, operation: string, payload: Uint32Array): void {
    const message = { runId: this.runId, round, operation, from: this.party, to: peer, payload };
    this.stats.bytesSent += FIXED_HEADER_BYTES + utf8Length(this.runId) + utf8Length(operation) + payload.length * 4;
    this.transport.send(message);
  }

  private awaitRound(round: number, operation: string): Promise<Map<number, ProtocolMessage>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.timeOut(round, operation), this.timeoutMs);
      this.pending = { round, operation, resolve, reject, timer };
      this.settleIfComplete();
    });
  }

  private timeOut(round: number, operation: string): void {
    const arrived = this.inbox.get(round) ?? new Map();
    const missing = this.peers().filter((peer) => !arrived.has(peer));
    this.abort(
      new ProtocolAbortError(
        `run ${this.runId} timed out after ${this.timeoutMs} ms in round ${round} (${operation}) ` +
          `waiting for parties ${missing.join(', ')}`,
      ),
    );
  }

  private receive(message: ProtocolMessage): void {
    if (this.failure) {
      return;
    }
    const problem = this.checkMessage(message);
    if (problem) {
      this.abort(new ProtocolAbortError(`run ${this.runId}: ${problem}`));
      return;
    }
    const roundInbox = this.inbox.get(message.round) ?? new Map<number, ProtocolMessage>();
    roundInbox.set(message.from, message);
    this.inbox.set(message.round, roundInbox);
    this.settleIfComplete();
  }

  private checkMessage(message: ProtocolMessage): string | null {
    const { from, round } = message;
    if (message.runId !== this.runId) {
      return `message for run ${message.runId} delivered to this run`;
    }
    if (!Number.isInteger(from) || from < 1 || from > this.parties || from === this.party) {
      return `message from invalid party ${from}`;
    }
    if (message.to !== this.party) {
      return `message for party ${message.to} delivered to party ${this.party}`;
    }
    if (round < this.completedRounds) {
      return `duplicate or replayed message from party ${from} for finished round ${round}`;
    }
    if (round > this.completedRounds + 1) {
      return `message from party ${from} for round ${round} arrived while in round ${this.completedRounds}`;
    }
    if (this.inbox.get(round)?.has(from)) {
      return `duplicate message from party ${from} in round ${round}`;
    }
    return null;
  }

  private settleIfComplete(): void {
    const pending = this.pending;
    const arrived = pending && this.inbox.get(pending.round);
    if (!pending || !arrived || arrived.size < this.parties - 1) {
      return;
    }
    for (const message of arrived.values()) {
      if (message.operation !== pending.operation) {
        this.abort(
          new ProtocolAbortError(
            `run ${this.runId}: party ${message.from} sent ${message.operation} in round ${pending.round}, ` +
              `expected ${pending.operation}`,
          ),
        );
        return;
      }
    }
    // The round counts as finished at once, so a duplicate that arrives before the caller resumes is caught.
    clearTimeout(pending.timer);
    this.inbox.delete(pending.round);
    this.completedRounds++;
    this.pending = null;
    pending.resolve(arrived);
  }

  private peers(): number[] {
    const peers: number[] = [];
    for (let peer = 1; peer <= this.parties; peer++) {
      if (peer !== this.party) {
        peers.push(peer);
      }
    }
    return peers;
  }
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

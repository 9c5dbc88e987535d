/**
 * Records what this evaluator receives in the opening rounds of one run, for the
 * signed opening transcript. It sits between the MPC runtime and the peer
 * transport, so the MPC core stays unchanged. Every `open` round of the core
 * opens sharings of degree t, and every party sends the same values to all
 * peers, so one vector per party describes the round.
 *
 * Share vectors are kept only until the round is complete. Then the recorder
 * keeps the round's verdict (consistent or not) and a salted digest of each
 * party's vector, and overwrites the vectors with zeros.
 */
import { openingDigest, type OpeningRecord } from '../../crypto/index.js';
import type { MessageReceiver, ProtocolMessage, Transport } from '../../mpc/index.js';
import { inconsistentIndices } from '../../mpc/shamir/shamir.js';

/** The operation name of the MPC core's opening rounds. */
const OPEN_OPERATION = 'open';

/** The parameters of the run whose openings are recorded. */
export interface RecorderOptions {
  runId: string;
  party: number;
  parties: number;
  degree: number;
}

export class OpeningRecorder {
  private readonly pending = new Map<number, Map<number, Uint32Array>>();
  private readonly records: OpeningRecord[] = [];
  private readonly waiters = new Set<() => void>();
  private salt: Uint8Array | null = null;
  private stopListening: (() => void) | null = null;

  constructor(private readonly options: RecorderOptions) {}

  /** Sets the salt of the digests; recording starts here, so it must precede the first round. */
  start(salt: Uint8Array): void {
    this.salt = salt;
  }

  /** Whether start() was called, so that digests can be computed. */
  get started(): boolean {
    return this.salt !== null;
  }

  /**
   * Wraps a transport so that the recorder observes every message of the run.
   * The runtime's unlisten only detaches the runtime: the recorder keeps
   * receiving the run's messages until stop(), so it can complete the round
   * in which the runtime aborted.
   */
  wrap(transport: Transport): Transport {
    return {
      send: (message) => {
        this.observe(message);
        transport.send(message);
      },
      listen: (runId, receiver) => {
        let runtimeReceiver: MessageReceiver | null = receiver;
        this.stopListening = transport.listen(runId, (message) => {
          this.observe(message);
          runtimeReceiver?.(message);
        });
        return () => {
          runtimeReceiver = null;
        };
      },
    };
  }

  /**
   * Waits until every opening round that started is complete, or graceMs
   * passes. An aborted run calls it, so that the transcript shows the
   * inconsistent round even when a peer's abort notice arrived first.
   */
  async settle(graceMs: number): Promise<void> {
    if (this.pending.size === 0) {
      return;
    }
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const check = (): void => {
        if (this.pending.size === 0) {
          done();
        }
      };
      const timer = setTimeout(done, graceMs);
      this.waiters.add(check);
    });
  }

  /** Stops receiving, zeroes the vectors of incomplete rounds and returns the records in round order. */
  stop(): OpeningRecord[] {
    this.stopListening?.();
    this.stopListening = null;
    for (const vectors of this.pending.values()) {
      vectors.forEach((vector) => vector.fill(0));
    }
    this.pending.clear();
    return [...this.records].sort((a, b) => a.round - b.round);
  }

  /** Returns the first opening that was inconsistent at this evaluator, if any. */
  firstInconsistent(): OpeningRecord | undefined {
    return this.records.filter((record) => !record.consistent).sort((a, b) => a.round - b.round)[0];
  }

  private observe(message: ProtocolMessage): void {
    if (message.operation !== OPEN_OPERATION || this.salt === null || message.runId !== this.options.runId) {
      return;
    }
    if (this.records.some((record) => record.round === message.round)) {
      return;
    }
    const vectors = this.pending.get(message.round) ?? new Map<number, Uint32Array>();
    this.pending.set(message.round, vectors);
    // A party sends the same values to every peer, and a duplicate is the runtime's business: keep the first.
    if (!vectors.has(message.from)) {
      vectors.set(message.from, Uint32Array.from(message.payload));
    }
    if (vectors.size === this.options.parties) {
      this.complete(message.round, vectors);
    }
  }

  private complete(round: number, vectors: Map<number, Uint32Array>): void {
    const ordered = Array.from({ length: this.options.parties }, (_, index) => vectors.get(index + 1) as Uint32Array);
    const digests = ordered.map((vector, index) => openingDigest(this.salt as Uint8Array, this.options.runId, round, index + 1, vector));
    this.records.push({ round, consistent: isConsistent(ordered, this.options.degree), digests });
    ordered.forEach((vector) => vector.fill(0));
    this.pending.delete(round);
    this.waiters.forEach((check) => check());
  }
}

function isConsistent(vectors: Uint32Array[], degree: number): boolean {
  const length = vectors[0].length;
  if (vectors.some((vector) => vector.length !== length)) {
    return false;
  }
  return inconsistentIndices(vectors, degree).length === 0;
}

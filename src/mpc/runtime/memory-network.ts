import type { MessageReceiver, ProtocolMessage, Transport } from './transport.js';

/**
 * An in-memory network between parties of one process, for unit tests and the
 * in-process benchmark. Messages are delivered asynchronously, after delayMs
 * when set, and buffered while their run has no receiver yet. Payloads are not
 * copied: a sender must not change an array after sending it.
 */
export class MemoryNetwork {
  private readonly receivers = new Map<string, MessageReceiver>();
  private readonly pending = new Map<string, ProtocolMessage[]>();
  private readonly delayMs: number;

  constructor(options: { delayMs?: number } = {}) {
    this.delayMs = options.delayMs ?? 0;
  }

  /** Returns the transport of one party. */
  transport(party: number): Transport {
    return {
      send: (message) => this.send(message),
      listen: (runId, receiver) => this.listen(party, runId, receiver),
    };
  }

  private send(message: ProtocolMessage): void {
    const deliver = (): void => this.deliver(message);
    if (this.delayMs > 0) {
      setTimeout(deliver, this.delayMs);
    } else {
      queueMicrotask(deliver);
    }
  }

  private deliver(message: ProtocolMessage): void {
    const key = `${message.to}/${message.runId}`;
    const receiver = this.receivers.get(key);
    if (receiver) {
      receiver(message);
      return;
    }
    const queue = this.pending.get(key) ?? [];
    queue.push(message);
    this.pending.set(key, queue);
  }

  private listen(party: number, runId: string, receiver: MessageReceiver): () => void {
    const key = `${party}/${runId}`;
    this.receivers.set(key, receiver);

    const queued = this.pending.get(key) ?? [];
    this.pending.delete(key);
    for (const message of queued) {
      receiver(message);
    }
    return () => {
      this.receivers.delete(key);
    };
  }
}

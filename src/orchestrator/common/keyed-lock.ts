/**
 * In-process mutual exclusion per key (here: per auction id), so a close and
 * a bid acceptance on the same auction never interleave their commits. The
 * orchestrator is one process, so an in-memory queue per key is enough.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs task once every earlier task for the same key has settled, and returns its result. */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => current);
    this.tails.set(key, tail);

    await previous;
    try {
      return await task();
    } finally {
      release();
      if (this.tails.get(key) === tail) {
        this.tails.delete(key);
      }
    }
  }
}

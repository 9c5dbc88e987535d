/**
 * A queue that runs its items in groups, one group at a time: an item that
 * arrives while a group is running waits and joins the next group. Under
 * light load every item runs alone, and under heavy load one call carries
 * many items. This is the group commit of database engines.
 */

/** Runs one group and returns one result or Error per item, in order. */
export type GroupRunner<Item, Result> = (items: Item[]) => Promise<Array<Result | Error>>;

interface Waiting<Item, Result> {
  item: Item;
  resolve(result: Result): void;
  reject(error: Error): void;
}

export class GroupCommit<Item, Result> {
  private waiting: Array<Waiting<Item, Result>> = [];
  private busy = false;

  /**
   * @param run runs one group. When it throws, every item of the group is rejected with that error.
   * @param maxItems largest group.
   * @param keysOf names what an item touches. Items that share a key never run in the same group, and run in the order queued.
   */
  constructor(
    private readonly run: GroupRunner<Item, Result>,
    private readonly maxItems: number,
    private readonly keysOf: (item: Item) => string[] = () => [],
  ) {}

  /** Queues the item and returns its result once its group has run. */
  submit(item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    if (this.busy || this.waiting.length === 0) {
      return;
    }
    const group = this.takeGroup();
    this.busy = true;
    void this.runGroup(group).finally(() => {
      this.busy = false;
      this.drain();
    });
  }

  // A skipped item keeps its keys reserved, so later items with a shared key also wait and keep their order.
  private takeGroup(): Array<Waiting<Item, Result>> {
    const group: Array<Waiting<Item, Result>> = [];
    const left: Array<Waiting<Item, Result>> = [];
    const reserved = new Set<string>();
    for (const next of this.waiting) {
      const keys = this.keysOf(next.item);
      const fits = group.length < this.maxItems && keys.every((key) => !reserved.has(key));
      keys.forEach((key) => reserved.add(key));
      (fits ? group : left).push(next);
    }
    this.waiting = left;
    return group;
  }

  private async runGroup(group: Array<Waiting<Item, Result>>): Promise<void> {
    let results: Array<Result | Error>;
    try {
      results = await this.run(group.map((waiting) => waiting.item));
    } catch (error) {
      group.forEach((waiting) => waiting.reject(error as Error));
      return;
    }
    group.forEach((waiting, index) => {
      const result = results[index];
      if (result instanceof Error) {
        waiting.reject(result);
      } else {
        waiting.resolve(result);
      }
    });
  }
}

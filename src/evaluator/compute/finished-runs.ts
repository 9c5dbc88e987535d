/**
 * Views of the runs this process completed lately, so that a status request
 * for one of them needs no database read. A completed run never changes
 * afterwards, so a kept view stays equal to the stored one. After a restart
 * the map is empty and status requests read the rows.
 */
import type { RunView } from './run-view.js';

/** Maximum number of completed run views kept. Beyond it the oldest is dropped. */
export const MAX_FINISHED_RUNS = 256;

/** Runs with more sealed won bits than this are not kept, because the view contains one sealed share per bid. */
export const MAX_KEPT_WON_BITS = 1_000;

export class FinishedRuns {
  private readonly views = new Map<string, { auctionId: string; view: RunView }>();

  constructor(private readonly capacity = MAX_FINISHED_RUNS) {}

  /** Keeps the view of a completed run, dropping the oldest beyond the capacity. */
  keep(auctionId: string, view: RunView): void {
    if (view.state !== 'completed' || (view.wonBits?.length ?? 0) > MAX_KEPT_WON_BITS) {
      return;
    }
    this.views.set(view.runId, { auctionId, view });
    if (this.views.size > this.capacity) {
      const [oldest] = this.views.keys();
      this.views.delete(oldest);
    }
  }

  /** Returns the kept view of the run, or undefined when it is not kept or belongs to another auction. */
  get(auctionId: string, runId: string | undefined): RunView | undefined {
    const entry = runId === undefined ? undefined : this.views.get(runId);
    return entry?.auctionId === auctionId ? entry.view : undefined;
  }
}

/** Waiting for every evaluator to be reachable and connected to its peers again, before a new run. */
import type { PinnedEvaluator } from '../config/evaluator-list.js';
import type { EvaluatorClient } from '../evaluators/evaluator-client.js';

const CHECK_INTERVAL_MS = 500;

/** An evaluator that is not ready for a run, and why. */
export interface UnavailableEvaluator {
  party: number;
  /** False when it did not respond at all, true when it responded but lacks a peer connection. */
  reachable: boolean;
  problem: string;
}

/**
 * Returns the evaluators to blame: the unreachable ones when there are any,
 * since their peers report a missing connection only because of them.
 */
export function culprits(unavailable: UnavailableEvaluator[]): UnavailableEvaluator[] {
  const unreachable = unavailable.filter((entry) => !entry.reachable);
  return unreachable.length > 0 ? unreachable : unavailable;
}

/**
 * Polls every evaluator's identity until all report status ok (reachable,
 * database up, every peer connected) and returns an empty list. Returns the
 * evaluators still unavailable when the deadline passes or stopped() returns true.
 */
export async function waitUntilAvailable(
  client: EvaluatorClient,
  evaluators: PinnedEvaluator[],
  deadline: number,
  stopped: () => boolean,
): Promise<UnavailableEvaluator[]> {
  for (;;) {
    const problems = (await Promise.all(evaluators.map((evaluator) => availability(client, evaluator)))).filter(
      (problem): problem is UnavailableEvaluator => problem !== null,
    );
    if (problems.length === 0 || Date.now() >= deadline || stopped()) {
      return problems;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(CHECK_INTERVAL_MS, Math.max(0, deadline - Date.now()))));
  }
}

async function availability(client: EvaluatorClient, evaluator: PinnedEvaluator): Promise<UnavailableEvaluator | null> {
  try {
    const identity = await client.identity(evaluator);
    return identity.health?.status === 'ok' ? null : { party: evaluator.party, reachable: true, problem: 'is up but not connected to every peer' };
  } catch (error) {
    return { party: evaluator.party, reachable: false, problem: `is unreachable (${(error as Error).message})` };
  }
}

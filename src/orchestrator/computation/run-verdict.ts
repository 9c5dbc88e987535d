/**
 * The decision after one computation run: publish the agreed result, start a
 * new run because an evaluator was unavailable, or fail the auction naming
 * the evaluators at fault.
 */
import type { PinnedEvaluator } from '../config/evaluator-list.js';
import { attributeOpenings, describeAttribution } from './opening-attribution.js';
import { agreeOnResults, resultProblem, type Agreement, type CollectedResult, type ExpectedRun } from './result-agreement.js';

export type RunVerdict =
  | { kind: 'publish'; agreement: Extract<Agreement, { agreed: true }> }
  | { kind: 'retry'; reason: string }
  | { kind: 'fail'; reason: string };

/** Context of a verdict besides the collected results. */
export interface VerdictContext {
  expected: ExpectedRun;
  evaluators: PinnedEvaluator[];
  /** Shamir degree t: at most t evaluators are assumed dishonest. */
  degree: number;
  /** Whether ties are broken by lottery, whose draw a new run would repeat. */
  lottery: boolean;
}

/**
 * Judges a run. An inconsistent opening in any valid transcript, a result
 * that does not verify, or an outcome that differs fails the auction. A run
 * whose only problems are transient failures is retried. The exception is
 * the lottery tie rule once some evaluator completed, because the values
 * were opened then. A new run would draw the lottery again, which would let
 * an evaluator that withholds its result choose between draws.
 */
export function judgeRun(context: VerdictContext, collected: CollectedResult[]): RunVerdict {
  const { expected, evaluators, degree } = context;
  const transcripts = collected.map((entry) => ({ party: entry.party, transcript: entry.openings ?? null }));
  const attribution = attributeOpenings(expected, evaluators, degree, transcripts);
  const agreement = agreeOnResults(expected, evaluators, collected);
  if (attribution !== null) {
    const others = agreement.agreed ? '' : `; ${agreement.reason}`;
    return { kind: 'fail', reason: `result not published: ${describeAttribution(attribution, expected.runId, degree)}${others}` };
  }
  if (agreement.agreed) {
    return { kind: 'publish', agreement };
  }

  const errors = collected.filter((entry): entry is Extract<CollectedResult, { error: string }> => 'error' in entry);
  const results = collected.filter((entry) => 'result' in entry);
  const resultsValid = results.every((entry) => resultProblem(entry, evaluatorOf(evaluators, entry.party), expected) === null);
  const transientOnly = errors.length > 0 && errors.every((entry) => entry.transient === true) && resultsValid;
  if (transientOnly && context.lottery && results.length > 0) {
    return { kind: 'fail', reason: `result not published: ${agreement.reason}; a new run would draw the tie lottery again, so none is started` };
  }
  return transientOnly ? { kind: 'retry', reason: agreement.reason } : { kind: 'fail', reason: `result not published: ${agreement.reason}` };
}

function evaluatorOf(evaluators: PinnedEvaluator[], party: number): PinnedEvaluator {
  return evaluators.find((evaluator) => evaluator.party === party) as PinnedEvaluator;
}

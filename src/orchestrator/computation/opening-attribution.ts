/**
 * Attribution of an inconsistent opening from the evaluators' signed opening
 * transcripts.
 *
 * In an opening every party sends its share to every peer. An honest party
 * sends the same share to all. An honest receiver finds the opening
 * consistent exactly when every share it received is correct, because with
 * n >= 2t + 1 up to t wrong shares never lie on the polynomial of degree t
 * through the correct ones. A transcript states, for each opening round,
 * whether the receiver saw it consistent and a salted digest of the values it
 * received from each party, so two receivers' digests of one sender compare
 * without revealing the values.
 *
 * The rule: consider every set B of at most t evaluators as the dishonest
 * ones. B explains the reports when (1) the honest reporters agree on the
 * digest of every honest sender, (2) the honest reporters that saw the round
 * consistent agree on every sender, and (3) each honest reporter that saw it
 * inconsistent received, from some member of B, a value other than what an
 * honest consistent reporter received (or, with no honest consistent
 * reporter, B is not empty). Every evaluator that belongs to all explaining
 * sets is named; the union of the sets bounds the suspects.
 *
 * What this can and cannot attribute, under at most t dishonest evaluators:
 * - A sender that sends the same wrong share to every peer, while the others
 *   report honestly, is named: only a set containing it explains honest
 *   reporters that disagree with its own digest of its share.
 * - A sender that sends a wrong share to some peers only cannot be told
 *   apart from a receiver that falsely reports a wrong share: both are named
 *   as suspects, neither for certain. Telling them apart needs the sender's
 *   signature on each opening message, which the peer channel does not give.
 * - An evaluator that sends no transcript, or one that does not verify,
 *   constrains nothing, so attribution may become impossible; it is named as
 *   having sent no evidence.
 */
import { fromBase64Url, verifyOpeningTranscript, type OpeningRecord, type OpeningTranscript } from '../../crypto/index.js';
import type { PinnedEvaluator } from '../config/evaluator-list.js';

/** One evaluator's transcript as collected, before its signature is checked. */
export interface CollectedTranscript {
  party: number;
  transcript: { statement: OpeningTranscript; signature: string } | null;
}

/** The attribution of the first inconsistent opening of a run. */
export interface OpeningAttribution {
  round: number;
  /** Evaluators that reported the round inconsistent, in party order. */
  reporters: number[];
  /** Evaluators that are dishonest in every explanation of the reports. */
  named: number[];
  /** Evaluators that are dishonest in at least one explanation. */
  suspects: number[];
  /** Evaluators without a valid transcript for the run. */
  withoutEvidence: number[];
}

/** Most candidate sets examined; beyond it (large n and t) no one is named. */
const MAX_CANDIDATE_SETS = 20_000;

/**
 * Finds the first opening that any evaluator reported inconsistent, with a
 * valid signature over a transcript of this run, and attributes it. Returns
 * null when every valid transcript shows only consistent openings.
 */
export function attributeOpenings(
  run: { auctionId: string; runId: string },
  evaluators: PinnedEvaluator[],
  degree: number,
  collected: CollectedTranscript[],
): OpeningAttribution | null {
  const valid = validTranscripts(run, evaluators, collected);
  const withoutEvidence = evaluators.map((evaluator) => evaluator.party).filter((party) => !valid.has(party));
  const rounds = [...valid.values()].flatMap((statement) => statement.openings.filter((record) => !record.consistent).map((record) => record.round));
  if (rounds.length === 0) {
    return null;
  }

  const round = Math.min(...rounds);
  const reports = new Map<number, OpeningRecord>();
  for (const [party, statement] of valid) {
    const record = statement.openings.find((item) => item.round === round);
    if (record !== undefined && record.digests.length === evaluators.length) {
      reports.set(party, record);
    }
  }
  const parties = evaluators.map((evaluator) => evaluator.party);
  const explaining = candidateSets(parties, degree).filter((set) => explains(set, reports, parties));

  const reporters = [...reports].filter(([, record]) => !record.consistent).map(([party]) => party).sort((a, b) => a - b);
  const named = parties.filter((party) => explaining.length > 0 && explaining.every((set) => set.has(party)));
  const suspects = parties.filter((party) => explaining.some((set) => set.has(party)));
  return { round, reporters, named, suspects, withoutEvidence };
}

/** Words an attribution for a failure reason; it names evaluators only, never values. */
export function describeAttribution(attribution: OpeningAttribution, runId: string, degree: number): string {
  const list = (parties: number[]) => parties.join(', ');
  const parts = [
    `the opening in round ${attribution.round} of run ${runId} was inconsistent at evaluator${attribution.reporters.length === 1 ? '' : 's'} ` +
      `${list(attribution.reporters)}`,
  ];
  if (attribution.named.length > 0) {
    parts.push(`the signed opening transcripts show that evaluator ${list(attribution.named)} sent a wrong share`);
  } else if (attribution.suspects.length > 0) {
    parts.push(
      `the signed opening transcripts fit a wrong share from any of evaluators ${list(attribution.suspects)}, ` +
        `so no single evaluator can be named with at most ${degree} dishonest`,
    );
  } else {
    parts.push(`no set of at most ${degree} evaluators explains the signed opening transcripts`);
  }
  if (attribution.withoutEvidence.length > 0) {
    parts.push(`evaluator ${list(attribution.withoutEvidence)} sent no valid opening transcript`);
  }
  return parts.join('; ');
}

function validTranscripts(run: { auctionId: string; runId: string }, evaluators: PinnedEvaluator[], collected: CollectedTranscript[]) {
  const valid = new Map<number, OpeningTranscript>();
  for (const evaluator of evaluators) {
    const signed = collected.find((entry) => entry.party === evaluator.party)?.transcript;
    const statement = signed?.statement;
    if (signed === null || signed === undefined || statement === undefined || !Array.isArray(statement.openings)) {
      continue;
    }
    const matches = statement.auctionId === run.auctionId && statement.runId === run.runId && statement.evaluator === evaluator.party;
    if (matches && verifyOpeningTranscript(statement, signed.signature, fromBase64Url(evaluator.signingKey, 'signing key'))) {
      valid.set(evaluator.party, statement);
    }
  }
  return valid;
}

/** Returns every set of 1 to t parties, or none when there are too many to examine. */
function candidateSets(parties: number[], degree: number): Array<Set<number>> {
  const sets: Array<Set<number>> = [];
  const grow = (start: number, chosen: number[]): boolean => {
    if (chosen.length > 0) {
      sets.push(new Set(chosen));
      if (sets.length > MAX_CANDIDATE_SETS) {
        return false;
      }
    }
    if (chosen.length === degree) {
      return true;
    }
    for (let i = start; i < parties.length; i++) {
      if (!grow(i + 1, [...chosen, parties[i]])) {
        return false;
      }
    }
    return true;
  };
  return grow(0, []) ? sets : [];
}

function explains(dishonest: Set<number>, reports: Map<number, OpeningRecord>, parties: number[]): boolean {
  const honest = [...reports].filter(([party]) => !dishonest.has(party)).map(([, record]) => record);
  const sees = (record: OpeningRecord, sender: number) => record.digests[parties.indexOf(sender)];
  const agree = (records: OpeningRecord[], sender: number) => records.every((record) => sees(record, sender) === sees(records[0], sender));

  if (!parties.filter((party) => !dishonest.has(party)).every((sender) => agree(honest, sender))) {
    return false;
  }
  const consistent = honest.filter((record) => record.consistent);
  if (!parties.every((sender) => agree(consistent, sender))) {
    return false;
  }
  const inconsistent = honest.filter((record) => !record.consistent);
  if (consistent.length === 0) {
    return inconsistent.length === 0 || dishonest.size > 0;
  }
  return inconsistent.every((record) => [...dishonest].some((sender) => sees(record, sender) !== sees(consistent[0], sender)));
}

/**
 * Attribution of inconsistent openings from signed transcripts, for the
 * cases that can and cannot be attributed: a consistent wrong share, a
 * share sent wrong to one peer only, missing or forged transcripts, and more
 * evaluators.
 */
import { generateSigningKeyPair, signOpeningTranscript, toBase64Url, type OpeningRecord } from '../../src/crypto/index.js';
import type { PinnedEvaluator } from '../../src/orchestrator/config/evaluator-list.js';
import { attributeOpenings, describeAttribution, type CollectedTranscript } from '../../src/orchestrator/computation/opening-attribution.js';

const RUN = { auctionId: 'a-1', runId: 'a-1.run-1' };
const ROUND = 7;

function cluster(parties: number) {
  const keys = Array.from({ length: parties }, () => generateSigningKeyPair());
  const evaluators: PinnedEvaluator[] = keys.map((key, index) => ({
    party: index + 1,
    url: `http://127.0.0.1:${7101 + index}`,
    signingKey: toBase64Url(key.publicKey),
    sealingKey: toBase64Url(key.publicKey),
    token: 'x'.repeat(32),
  }));
  const transcript = (party: number, openings: OpeningRecord[]): CollectedTranscript => {
    const statement = { ...RUN, evaluator: party, openings };
    return { party, transcript: { statement, signature: signOpeningTranscript(statement, keys[party - 1].secretKey) } };
  };
  return { evaluators, transcript };
}

/**
 * Builds what each receiver saw: `sent[j][i]` is the value party j sent to
 * party i (j's own value at i = j). A receiver's round is consistent when it
 * received every party's true value.
 */
function views(sent: string[][], truth: string[]): OpeningRecord[] {
  return sent.map((_, receiver) => {
    const digests = sent.map((fromSender) => fromSender[receiver]);
    return { round: ROUND, consistent: digests.every((digest, sender) => digest === truth[sender]), digests };
  });
}

describe('opening attribution', () => {
  test('names a consistent wrong share', () => {
    const { evaluators, transcript } = cluster(3);
    const truth = ['a', 'b', 'c'];
    const seen = views([['a', 'a', 'a'], ['B', 'b', 'B'], ['c', 'c', 'c']], truth);
    const result = attributeOpenings(RUN, evaluators, 1, seen.map((record, i) => transcript(i + 1, [record])));

    expect(result).toEqual({ round: ROUND, reporters: [1, 3], named: [2], suspects: [2], withoutEvidence: [] });
    expect(describeAttribution(result!, RUN.runId, 1)).toBe(
      `the opening in round ${ROUND} of run a-1.run-1 was inconsistent at evaluators 1, 3; ` +
        'the signed opening transcripts show that evaluator 2 sent a wrong share',
    );
  });

  test('cannot tell a one-peer wrong share from a false report', () => {
    const { evaluators, transcript } = cluster(3);
    const seen = views([['a', 'a', 'a'], ['B', 'b', 'b'], ['c', 'c', 'c']], ['a', 'b', 'c']);
    const result = attributeOpenings(RUN, evaluators, 1, seen.map((record, i) => transcript(i + 1, [record])));

    expect(result).toMatchObject({ reporters: [1], named: [], suspects: [1, 2] });
    expect(describeAttribution(result!, RUN.runId, 1)).toMatch(/fit a wrong share from any of evaluators 1, 2, so no single evaluator can be named/);
  });

  test('a missing transcript blocks attribution', () => {
    const { evaluators, transcript } = cluster(3);
    const seen = views([['a', 'a', 'a'], ['B', 'b', 'B'], ['c', 'c', 'c']], ['a', 'b', 'c']);
    const collected = [transcript(1, [seen[0]]), { party: 2, transcript: null }, transcript(3, [seen[2]])];
    const result = attributeOpenings(RUN, evaluators, 1, collected);

    expect(result).toMatchObject({ reporters: [1, 3], named: [], suspects: [1, 2, 3], withoutEvidence: [2] });
    expect(describeAttribution(result!, RUN.runId, 1)).toMatch(/evaluator 2 sent no valid opening transcript$/);
  });

  test('ignores forged and misdirected transcripts', () => {
    const { evaluators, transcript } = cluster(3);
    const seen = views([['a', 'a', 'a'], ['b', 'b', 'b'], ['c', 'c', 'c']], ['a', 'b', 'c']);
    const forged = transcript(2, [{ round: ROUND, consistent: false, digests: ['a', 'x', 'c'] }]);
    forged.transcript!.signature = transcript(1, []).transcript!.signature;
    const otherRun = { party: 3, transcript: { ...transcript(3, [{ ...seen[2], consistent: false }]).transcript! } };
    otherRun.transcript.statement = { ...otherRun.transcript.statement, runId: 'a-1.run-9' };

    expect(attributeOpenings(RUN, evaluators, 1, [transcript(1, [seen[0]]), forged, otherRun])).toBeNull();
  });

  test('returns null when every opening was consistent', () => {
    const { evaluators, transcript } = cluster(3);
    const seen = views([['a', 'a', 'a'], ['b', 'b', 'b'], ['c', 'c', 'c']], ['a', 'b', 'c']);
    expect(attributeOpenings(RUN, evaluators, 1, seen.map((record, i) => transcript(i + 1, [record])))).toBeNull();
  });

  test('one-peer wrong share stays ambiguous with four', () => {
    const { evaluators, transcript } = cluster(4);
    const truth = ['a', 'b', 'c', 'd'];
    const sent = [['a', 'a', 'a', 'a'], ['b', 'b', 'b', 'b'], ['C', 'c', 'c', 'c'], ['d', 'd', 'd', 'd']];
    const result = attributeOpenings(RUN, evaluators, 1, views(sent, truth).map((record, i) => transcript(i + 1, [record])));

    // A lone complaint stays ambiguous with more evaluators too: evaluator 3 sent a wrong share to 1, or 1 lies.
    expect(result).toMatchObject({ reporters: [1], named: [], suspects: [1, 3] });
  });

  test('names two consistent wrong shares with five evaluators', () => {
    const { evaluators, transcript } = cluster(5);
    const truth = ['a', 'b', 'c', 'd', 'e'];
    const sent = [
      ['a', 'a', 'a', 'a', 'a'],
      ['B', 'b', 'B', 'B', 'B'],
      ['c', 'c', 'c', 'c', 'c'],
      ['D', 'D', 'D', 'd', 'D'],
      ['e', 'e', 'e', 'e', 'e'],
    ];
    const result = attributeOpenings(RUN, evaluators, 2, views(sent, truth).map((record, i) => transcript(i + 1, [record])));

    // The two dishonest evaluators receive each other's wrong shares, so everyone complains.
    expect(result).toMatchObject({ reporters: [1, 2, 3, 4, 5], named: [2, 4], suspects: [2, 4] });
  });

  test('takes the first inconsistent round', () => {
    const { evaluators, transcript } = cluster(3);
    const good = (round: number): OpeningRecord => ({ round, consistent: true, digests: ['a', 'b', 'c'] });
    const bad = (round: number): OpeningRecord => ({ round, consistent: false, digests: ['a', 'B', 'c'] });
    const collected = [transcript(1, [good(2), bad(5), bad(9)]), transcript(2, [good(2), good(5)]), transcript(3, [good(2), bad(5)])];
    expect(attributeOpenings(RUN, evaluators, 1, collected)).toMatchObject({ round: 5, named: [2] });
  });
});

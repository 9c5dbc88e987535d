import { generateSigningKeyPair, signResult, toBase64Url, type KeyPair, type PublicOutcome } from '../../src/crypto/index.js';
import type { PinnedEvaluator } from '../../src/orchestrator/config/evaluator-list.js';
import { agreeOnResults, type CollectedResult } from '../../src/orchestrator/computation/result-agreement.js';

const expected = { auctionId: 'auction-1', runId: 'auction-1.run-1', submissionSetHash: 'ab'.repeat(32) };
const outcome: PublicOutcome = { status: 'settled', noSaleReason: null, winner: 2, price: '1200', validBids: 4, rejected: [] };

const keys: KeyPair[] = [1, 2, 3].map(() => generateSigningKeyPair());
const evaluators: PinnedEvaluator[] = keys.map((key, index) => ({
  party: index + 1,
  url: `http://127.0.0.1:${7101 + index}`,
  signingKey: toBase64Url(key.publicKey),
  sealingKey: toBase64Url(key.publicKey),
  token: 't'.repeat(32),
}));

function signed(party: number, changes: { outcome?: PublicOutcome; runId?: string; submissionSetHash?: string; key?: KeyPair } = {}): CollectedResult {
  const statement = {
    auctionId: expected.auctionId,
    runId: changes.runId ?? expected.runId,
    submissionSetHash: changes.submissionSetHash ?? expected.submissionSetHash,
    outcome: changes.outcome ?? outcome,
  };
  const signature = signResult(statement, (changes.key ?? keys[party - 1]).secretKey);
  return { party, result: { statement, signature, wonBits: null } };
}

describe('result agreement', () => {
  test('publishes when every evaluator signed the same outcome', () => {
    const agreement = agreeOnResults(expected, evaluators, [signed(3), signed(1), signed(2)]);
    expect(agreement).toEqual({
      agreed: true,
      outcome,
      signatures: [1, 2, 3].map((party) => ({ evaluator: party, signature: expect.any(String) })),
    });
  });

  test('names the evaluator with a different outcome', () => {
    const other = { ...outcome, price: '1100' };
    const agreement = agreeOnResults(expected, evaluators, [signed(1), signed(2, { outcome: other }), signed(3)]);
    expect(agreement).toEqual({ agreed: false, reason: 'evaluator 2 signed a different outcome than the other evaluators' });
  });

  test('names every dissenter when no two agree', () => {
    const agreement = agreeOnResults(expected, evaluators, [
      signed(1),
      signed(2, { outcome: { ...outcome, winner: 0 } }),
      signed(3, { outcome: { ...outcome, winner: 1 } }),
    ]);
    expect(agreement).toEqual({ agreed: false, reason: 'evaluator 2, evaluator 3 signed a different outcome than the other evaluators' });
  });

  test('names an evaluator that signed over another submission set', () => {
    const agreement = agreeOnResults(expected, evaluators, [signed(1), signed(2), signed(3, { submissionSetHash: 'cd'.repeat(32) })]);
    expect(agreement).toEqual({ agreed: false, reason: 'evaluator 3 signed a result over a different submission set' });
  });

  test('names an evaluator that signed for another run', () => {
    const agreement = agreeOnResults(expected, evaluators, [signed(1, { runId: 'auction-1.run-0' }), signed(2), signed(3)]);
    expect(agreement).toEqual({ agreed: false, reason: expect.stringMatching(/^evaluator 1 signed a result for another run/) });
  });

  test('rejects a signature by a key other than the pinned one', () => {
    const agreement = agreeOnResults(expected, evaluators, [signed(1), signed(2, { key: generateSigningKeyPair() }), signed(3)]);
    expect(agreement).toEqual({ agreed: false, reason: expect.stringMatching(/^evaluator 2 returned a result whose signature does not verify/) });
  });

  test('rejects a tampered outcome under a valid signature', () => {
    const tampered = signed(1) as { party: number; result: { statement: { outcome: PublicOutcome } } };
    tampered.result.statement.outcome = { ...outcome, price: '1' };
    const agreement = agreeOnResults(expected, evaluators, [tampered as CollectedResult, signed(2), signed(3)]);
    expect(agreement.agreed).toBe(false);
  });

  test('reports missing and failed evaluators', () => {
    const agreement = agreeOnResults(expected, evaluators, [signed(1), { party: 3, error: 'reported that the run failed: peer-disconnected' }]);
    expect(agreement).toEqual({
      agreed: false,
      reason: 'evaluator 2 returned no result; evaluator 3 reported that the run failed: peer-disconnected',
    });
  });
});

import {
  checkReceipts,
  checkResultSignatures,
  ReceiptVerificationError,
  sealAmount,
  verifyReceipts,
  verifyResultSignatures,
  VerificationError,
  type EvaluatorSet,
  type ResultInfo,
  type SignedReceipt,
} from '../../src/client/index.js';
import { generateSealingKeyPair, generateSigningKeyPair, signReceipt, signResult, toBase64Url } from '../../src/crypto/index.js';

const AUCTION_ID = '0b9d8c5e-6a43-4e36-9f0e-2d1f7c8b9a10';
const target = { auctionId: AUCTION_ID, bidderId: 'alice', submissionId: '5a0f4c6e-1f2b-4d3a-8e9c-7b6a5d4c3b2a', bits: 16 };

function makeSet() {
  const signing = [1, 2, 3].map(() => generateSigningKeyPair());
  const sealing = [1, 2, 3].map(() => generateSealingKeyPair());
  const set: EvaluatorSet = {
    parties: 3,
    degree: 1,
    evaluators: [1, 2, 3].map((party) => ({
      party,
      signingKey: toBase64Url(signing[party - 1].publicKey),
      sealingKey: toBase64Url(sealing[party - 1].publicKey),
    })),
  };
  return { set, signing };
}

function signAll(signing: ReturnType<typeof makeSet>['signing'], hashes: string[]): SignedReceipt[] {
  return hashes.map((hash, index) => {
    const receipt = { ...target, evaluator: index + 1, envelopeHash: hash, receivedAt: '2030-01-01T00:00:00.000Z', onTime: true };
    return { receipt, signature: signReceipt(receipt, signing[index].secretKey) };
  });
}

describe('checkReceipts', () => {
  it('passes every honest receipt', () => {
    const { set, signing } = makeSet();
    const sealed = sealAmount(1234n, target, set);
    const receipts = signAll(signing, sealed.map((item) => item.hash));

    const checks = checkReceipts(receipts, target, sealed, set);

    expect(checks.map((check) => check.evaluator)).toEqual([1, 2, 3]);
    expect(checks.map((check) => check.problem)).toEqual([null, null, null]);
    expect(checks.map((check) => check.signed)).toEqual(receipts);
    expect(() => verifyReceipts(receipts, target, sealed, set)).not.toThrow();
  });

  it('names each wrong or missing receipt', () => {
    const { set, signing } = makeSet();
    const sealed = sealAmount(1234n, target, set);
    const receipts = signAll(signing, sealed.map((item) => item.hash));
    const forged = { ...receipts[1], signature: receipts[0].signature };

    const checks = checkReceipts([receipts[0], forged], target, sealed, set);

    expect(checks[0].problem).toBeNull();
    expect(checks[1].problem).toBe('invalid signature');
    expect(checks[2].problem).toBe('no receipt');
    expect(checks[2].signed).toBeNull();
  });

  it('carries the checks in the thrown error', () => {
    const { set, signing } = makeSet();
    const sealed = sealAmount(99n, target, set);
    const receipts = signAll(signing, sealed.map((item) => item.hash)).slice(0, 2);

    let thrown: unknown;
    try {
      verifyReceipts(receipts, target, sealed, set);
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(ReceiptVerificationError);
    expect(thrown).toBeInstanceOf(VerificationError);
    expect((thrown as ReceiptVerificationError).message).toContain('evaluator 3: no receipt');
    expect((thrown as ReceiptVerificationError).checks.map((check) => check.problem)).toEqual([null, null, 'no receipt']);
  });

  it('accepts stored hashes in place of sealed envelopes', () => {
    const { set, signing } = makeSet();
    const sealed = sealAmount(7n, target, set);
    const receipts = signAll(signing, sealed.map((item) => item.hash));
    const stored = sealed.map((item) => ({ evaluator: item.evaluator, hash: item.hash }));
    stored[2] = { evaluator: 3, hash: stored[0].hash };

    const checks = checkReceipts(receipts, target, stored, set);

    expect(checks.map((check) => check.problem)).toEqual([null, null, 'the receipt names another envelope']);
  });
});

describe('checkResultSignatures', () => {
  function signedResult(signing: ReturnType<typeof makeSet>['signing']): ResultInfo {
    const statement = {
      auctionId: AUCTION_ID,
      runId: 'run-1',
      submissionSetHash: 'abc',
      outcome: { status: 'settled' as const, noSaleReason: null, winner: 0, price: '1500', validBids: 2, rejected: [] },
    };
    return {
      ...statement,
      price: '15.00',
      winnerBidderId: 'alice',
      signatures: signing.map((pair, index) => ({ evaluator: index + 1, signature: signResult(statement, pair.secretKey) })),
      publishedAt: '2030-01-01T00:00:00.000Z',
    };
  }

  it('passes every valid signature', () => {
    const { set, signing } = makeSet();
    const result = signedResult(signing);

    const checks = checkResultSignatures(result, set);

    expect(checks.map((check) => check.valid)).toEqual([true, true, true]);
    expect(() => verifyResultSignatures(result, set)).not.toThrow();
  });

  it('flags a changed outcome for every evaluator', () => {
    const { set, signing } = makeSet();
    const result = signedResult(signing);
    const changed = { ...result, outcome: { ...result.outcome, price: '1600' } };

    expect(checkResultSignatures(changed, set).map((check) => check.valid)).toEqual([false, false, false]);
    expect(() => verifyResultSignatures(changed, set)).toThrow(/evaluator 1, 2, 3/);
  });

  it('flags a missing signature', () => {
    const { set, signing } = makeSet();
    const result = signedResult(signing);
    const partial = { ...result, signatures: result.signatures.filter((entry) => entry.evaluator !== 2) };

    const checks = checkResultSignatures(partial, set);

    expect(checks[1]).toEqual({ evaluator: 2, signature: null, valid: false });
    expect(checks[0].valid).toBe(true);
  });
});

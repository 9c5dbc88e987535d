import { generateSealingKeyPair, generateSigningKeyPair } from '../../src/crypto/keys.js';
import {
  openWonBit,
  sealWonBit,
  signReceipt,
  signResult,
  signStatement,
  toPublicOutcome,
  verifyReceipt,
  verifyResult,
  verifyStatement,
  type Receipt,
  type ResultStatement,
} from '../../src/crypto/signing.js';

const receipt: Receipt = {
  auctionId: 'auction-1',
  bidderId: 'bidder-1',
  submissionId: 'sub-1',
  evaluator: 1,
  envelopeHash: 'ab'.repeat(32),
  receivedAt: '2025-01-02T03:04:05.000Z',
  onTime: true,
};

const result: ResultStatement = {
  auctionId: 'auction-1',
  runId: 'run-1',
  submissionSetHash: 'cd'.repeat(32),
  outcome: toPublicOutcome({
    status: 'settled',
    noSaleReason: null,
    winner: 2,
    price: 12345678901234567890n,
    validBids: 3,
    rejected: [{ bid: 0, reason: 'envelope failed to open' }],
  }),
};

describe('receipt signatures', () => {
  const signer = generateSigningKeyPair();

  it('verify with the signer key', () => {
    const signature = signReceipt(receipt, signer.secretKey);
    expect(verifyReceipt(receipt, signature, signer.publicKey)).toBe(true);
  });

  it('fail for every changed field', () => {
    const signature = signReceipt(receipt, signer.secretKey);
    const changes: Array<Partial<Receipt>> = [
      { auctionId: 'auction-2' },
      { bidderId: 'bidder-2' },
      { submissionId: 'sub-2' },
      { evaluator: 2 },
      { envelopeHash: 'ef'.repeat(32) },
      { receivedAt: '2025-01-02T03:04:06.000Z' },
      { onTime: false },
    ];
    for (const change of changes) {
      expect(verifyReceipt({ ...receipt, ...change }, signature, signer.publicKey)).toBe(false);
    }
  });

  it('fail with the wrong key', () => {
    const signature = signReceipt(receipt, signer.secretKey);
    expect(verifyReceipt(receipt, signature, generateSigningKeyPair().publicKey)).toBe(false);
  });

  it('ignore extra properties', () => {
    const signature = signReceipt(receipt, signer.secretKey);
    expect(verifyReceipt({ ...receipt, id: 7 } as Receipt, signature, signer.publicKey)).toBe(true);
  });

  it('return false for malformed signatures', () => {
    expect(verifyReceipt(receipt, 'not base64!', signer.publicKey)).toBe(false);
    expect(verifyReceipt(receipt, 'AAAA', signer.publicKey)).toBe(false);
    expect(verifyReceipt(receipt, signReceipt(receipt, signer.secretKey), new Uint8Array(5))).toBe(false);
  });
});

describe('result signatures', () => {
  const signer = generateSigningKeyPair();

  it('verify and carry the price as a decimal string', () => {
    const signature = signResult(result, signer.secretKey);
    expect(result.outcome.price).toBe('12345678901234567890');
    expect(verifyResult(result, signature, signer.publicKey)).toBe(true);
  });

  it('fail for every changed field', () => {
    const signature = signResult(result, signer.secretKey);
    const outcome = result.outcome;
    const variants: ResultStatement[] = [
      { ...result, auctionId: 'auction-2' },
      { ...result, runId: 'run-2' },
      { ...result, submissionSetHash: 'ee'.repeat(32) },
      { ...result, outcome: { ...outcome, status: 'no-sale' } },
      { ...result, outcome: { ...outcome, noSaleReason: 'no-eligible-bid' } },
      { ...result, outcome: { ...outcome, winner: 1 } },
      { ...result, outcome: { ...outcome, winner: null } },
      { ...result, outcome: { ...outcome, price: '12345678901234567891' } },
      { ...result, outcome: { ...outcome, price: null } },
      { ...result, outcome: { ...outcome, validBids: 4 } },
      { ...result, outcome: { ...outcome, rejected: [] } },
      { ...result, outcome: { ...outcome, rejected: [{ bid: 1, reason: 'envelope failed to open' }] } },
      { ...result, outcome: { ...outcome, rejected: [{ bid: 0, reason: 'other' }] } },
    ];
    for (const variant of variants) {
      expect(verifyResult(variant, signature, signer.publicKey)).toBe(false);
    }
  });

  it('do not verify as receipts', () => {
    const signature = signStatement('sealbid/receipt/v1', { x: 1 }, signer.secretKey);
    expect(verifyStatement('sealbid/result/v1', { x: 1 }, signature, signer.publicKey)).toBe(false);
    expect(verifyStatement('sealbid/receipt/v1', { x: 1 }, signature, signer.publicKey)).toBe(true);
  });
});

describe('won-bit sealing', () => {
  const bidder = generateSealingKeyPair();
  const binding = { auctionId: 'a', runId: 'r', bidderId: 'b', submissionId: 's', evaluator: 3 };

  it('round-trips a share', () => {
    const box = sealWonBit(67108858, bidder.publicKey, binding);
    expect(openWonBit(box, bidder.secretKey, binding)).toBe(67108858);
  });

  it('rejects every changed binding field', () => {
    const box = sealWonBit(5, bidder.publicKey, binding);
    for (const change of [{ auctionId: 'x' }, { runId: 'x' }, { bidderId: 'x' }, { submissionId: 'x' }, { evaluator: 1 }]) {
      expect(() => openWonBit(box, bidder.secretKey, { ...binding, ...change })).toThrow(/failed authentication/);
    }
  });

  it('rejects the wrong key', () => {
    const box = sealWonBit(5, bidder.publicKey, binding);
    expect(() => openWonBit(box, generateSealingKeyPair().secretKey, binding)).toThrow(/failed authentication/);
  });

  it('is not openable as an envelope label', async () => {
    const { openEnvelope } = await import('../../src/crypto/envelope.js');
    const box = sealWonBit(5, bidder.publicKey, binding);
    const envelopeBinding = { auctionId: 'a', bidderId: 'b', submissionId: 's', evaluator: 3 };
    expect(() => openEnvelope(box, bidder.secretKey, envelopeBinding)).toThrow(/failed authentication/);
  });

  it('rejects a non-integer share', () => {
    expect(() => sealWonBit(1.5, bidder.publicKey, binding)).toThrow(/unsigned 32-bit/);
    expect(() => sealWonBit(-1, bidder.publicKey, binding)).toThrow(/unsigned 32-bit/);
  });
});

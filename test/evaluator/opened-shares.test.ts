import { jest } from '@jest/globals';
import { x25519 } from '@noble/curves/ed25519.js';

import { sealEnvelope } from '../../src/crypto/index.js';
import { buildRunInputs, collectEnvelopes, type StoredEnvelope } from '../../src/evaluator/compute/run-inputs.js';
import { OpenedShares, type KeptEnvelope } from '../../src/evaluator/intake/opened-shares.js';
import { P } from '../../src/mpc/index.js';

const from = (submissionId: string, overrides: Partial<KeptEnvelope> = {}): KeptEnvelope => ({
  submissionId,
  bidderId: `bidder-${submissionId}`,
  kind: 'bid',
  hash: `hash-${submissionId}`,
  wonBitKey: null,
  ...overrides,
});

describe('OpenedShares', () => {
  it('returns a copy only for the envelope the vector was opened from', () => {
    const opened = new OpenedShares();
    opened.keep('a-1', from('s-1'), Uint32Array.of(1, 2, 3));

    const copy = opened.copy('a-1', from('s-1'));
    expect(Array.from(copy!)).toEqual([1, 2, 3]);
    copy!.fill(0);
    expect(Array.from(opened.copy('a-1', from('s-1'))!)).toEqual([1, 2, 3]);

    expect(opened.copy('a-2', from('s-1'))).toBeUndefined();
    expect(opened.copy('a-1', from('s-1', { bidderId: 'other' }))).toBeUndefined();
    expect(opened.copy('a-1', from('s-1', { hash: 'other' }))).toBeUndefined();
    expect(opened.copy('a-1', from('s-1', { wonBitKey: 'key' }))).toBeUndefined();
  });

  it('wipes what it forgets, and what it replaces', () => {
    const opened = new OpenedShares();
    const first = Uint32Array.of(5, 6);
    const second = Uint32Array.of(7, 8);
    opened.keep('a-1', from('s-1'), first);
    opened.keep('a-1', from('s-1'), second);
    expect(Array.from(first)).toEqual([0, 0]);
    expect(opened.size).toBe(1);

    opened.forget('a-1');
    expect(Array.from(second)).toEqual([0, 0]);
    expect(opened.size).toBe(0);
    expect(opened.has('a-1', from('s-1'))).toBe(false);
  });

  it('forgets idle auctions', () => {
    const opened = new OpenedShares();
    const shares = Uint32Array.of(9);
    opened.keep('a-old', from('s-1'), shares);
    opened.keep('a-new', from('s-1'), Uint32Array.of(4));

    expect(opened.forgetIdle(Date.now() - 60_000)).toBe(0);
    expect(opened.forgetIdle(Date.now() + 1)).toBe(2);
    expect(Array.from(shares)).toEqual([0]);
    expect(opened.size).toBe(0);
  });

  it('returns the stored columns of a kept envelope, without its shares', () => {
    const opened = new OpenedShares();
    opened.keep('a-1', from('s-1', { kind: 'reserve', wonBitKey: 'key-1' }), Uint32Array.of(3));

    expect(opened.keptEnvelope('a-1', 's-1')).toEqual({ submissionId: 's-1', bidderId: 'bidder-s-1', kind: 'reserve', hash: 'hash-s-1', wonBitKey: 'key-1' });
    expect(opened.keptEnvelope('a-1', 's-2')).toBeUndefined();
    expect(opened.keptEnvelope('a-2', 's-1')).toBeUndefined();

    opened.forget('a-1');
    expect(opened.keptEnvelope('a-1', 's-1')).toBeUndefined();
  });

  it('wipes instead of keeping past its limit', () => {
    const opened = new OpenedShares(2);
    const vectors = [Uint32Array.of(1), Uint32Array.of(2), Uint32Array.of(3)];
    vectors.forEach((shares, i) => opened.keep('a-1', from(`s-${i}`), shares));

    expect(opened.size).toBe(2);
    expect(opened.has('a-1', from('s-2'))).toBe(false);
    expect(Array.from(vectors[2])).toEqual([0]);
  });
});

describe('buildRunInputs', () => {
  const secretKey = x25519.utils.randomSecretKey();
  const publicKey = x25519.getPublicKey(secretKey);

  const stored = (submissionId: string, shares: Uint32Array | null): StoredEnvelope => {
    const binding = { auctionId: 'a-1', bidderId: `bidder-${submissionId}`, submissionId, evaluator: 1 };
    const row = {
      auctionId: 'a-1',
      submissionId,
      bidderId: binding.bidderId,
      kind: 'bid' as const,
      hash: `hash-${submissionId}`,
      wonBitKey: null,
      replacedBy: null,
      receivedAt: new Date(),
    } as unknown as StoredEnvelope;
    return shares ? { ...row, sealed: sealEnvelope(shares, publicKey, binding) as never } : row;
  };

  it('prefers kept shares over opening', () => {
    const opened = new OpenedShares();
    opened.keep('a-1', from('s-1'), Uint32Array.of(11, 12));
    const envelopes = new Map([
      ['s-1', stored('s-1', null)],
      ['s-2', stored('s-2', Uint32Array.of(21, P - 1))],
      ['s-3', stored('s-3', null)],
    ]);
    const bids = ['s-1', 's-2', 's-3'].map((id) => ({ submissionId: id, bidderId: `bidder-${id}` }));

    const inputs = buildRunInputs(
      { auctionId: 'a-1', evaluator: 1, bits: 2, sealingSecretKey: secretKey, envelopes, copyKeptShares: (envelope, target) => opened.copyInto('a-1', envelope, target) },
      bids,
      null,
    );

    expect(Array.from(inputs.input.bids[0] as Uint32Array)).toEqual([11, 12]);
    expect(Array.from(inputs.input.bids[1] as Uint32Array)).toEqual([21, P - 1]);
    expect(inputs.input.bids[2]).toEqual({ rejected: 'envelope s-3 was erased' });

    inputs.wipe();
    expect(Array.from(inputs.input.bids[0] as Uint32Array)).toEqual([0, 0]);
    expect(Array.from(opened.copy('a-1', from('s-1'))!)).toEqual([11, 12]);
  });
});

describe('collectEnvelopes', () => {
  const row = (submissionId: string, source: string) => ({ ...from(submissionId), hash: source }) as StoredEnvelope;

  it('reads only the envelopes not kept, in batches', async () => {
    const keptRows = new Map(['s-1', 's-4'].map((id) => [id, row(id, 'kept')]));
    const reads: string[][] = [];
    const read = async (ids: string[]) => {
      reads.push(ids);
      return ids.filter((id) => id !== 's-5').map((id) => row(id, 'database'));
    };

    const envelopes = await collectEnvelopes(['s-1', 's-2', 's-3', 's-4', 's-5', 's-6'], (id) => keptRows.get(id), read, 2);

    expect(reads).toEqual([
      ['s-2', 's-3'],
      ['s-5', 's-6'],
    ]);
    expect([...envelopes.keys()].sort()).toEqual(['s-1', 's-2', 's-3', 's-4', 's-6']);
    expect(envelopes.get('s-1')!.hash).toBe('kept');
    expect(envelopes.get('s-2')!.hash).toBe('database');
  });

  it('reads nothing when every envelope is kept', async () => {
    const read = jest.fn(async () => [] as StoredEnvelope[]);
    const envelopes = await collectEnvelopes(['s-1'], (id) => row(id, 'kept'), read, 5_000);

    expect(read).not.toHaveBeenCalled();
    expect(envelopes.size).toBe(1);
  });
});

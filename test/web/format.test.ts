import type { AuctionSettings, ResultInfo } from '../../src/client/types.js';
import { parseTokenInput } from '../../src/web/components/token-form.js';
import {
  bidPosition,
  describeOutcome,
  describePrice,
  describeRange,
  describeReserve,
  describeWinner,
  formatTimeLeft,
  maxBid,
  signedPrice,
} from '../../src/web/format.js';

const SETTINGS: AuctionSettings = {
  direction: 'highest-wins',
  price: 'first',
  bits: 32,
  decimals: 2,
  reserve: { kind: 'none', amount: null },
  minPrice: null,
  minValidBids: 1,
  ties: 'earliest',
  disclosure: 'public',
};

function result(outcome: Partial<ResultInfo['outcome']>, extra: Partial<ResultInfo> = {}): ResultInfo {
  return {
    auctionId: 'a',
    runId: 'r',
    submissionSetHash: 'h',
    outcome: { status: 'settled', noSaleReason: null, winner: 1, price: '12050', validBids: 3, rejected: [], ...outcome },
    price: '999.99',
    winnerBidderId: 'bob',
    signatures: [],
    publishedAt: '2030-01-01T00:00:00.000Z',
    ...extra,
  };
}

describe('formatTimeLeft', () => {
  test.each([
    [1, '00:01'],
    [59_001, '01:00'],
    [61_000, '01:01'],
    [3_600_000, '01:00:00'],
    [3_661_000, '01:01:01'],
    [86_400_000 + 3_723_000, '1 d 01:02:03'],
  ])('%i ms reads %s', (milliseconds, text) => {
    expect(formatTimeLeft(milliseconds)).toBe(text);
  });

  test('passed deadline is null', () => {
    expect(formatTimeLeft(0)).toBeNull();
    expect(formatTimeLeft(-5)).toBeNull();
  });
});

describe('rule descriptions', () => {
  test('range follows bits and decimals', () => {
    expect(maxBid(SETTINGS)).toBe('42949672.95');
    expect(describeRange(SETTINGS)).toBe('From 0 to 42949672.95, at most 2 decimal places');
    expect(describeRange({ ...SETTINGS, bits: 16, decimals: 0 })).toBe('From 0 to 65535, whole numbers only');
    expect(describeRange({ ...SETTINGS, bits: 8, decimals: 1 })).toBe('From 0 to 25.5, at most 1 decimal place');
  });

  test('reserve side follows direction', () => {
    const reserve = { kind: 'public' as const, amount: '100.00' };

    expect(describeReserve({ ...SETTINGS, reserve })).toBe('100.00: a bid below it cannot win');
    expect(describeReserve({ ...SETTINGS, reserve, direction: 'lowest-wins' })).toBe('100.00: a bid above it cannot win');
    expect(describeReserve({ ...SETTINGS, reserve: { kind: 'sealed', amount: null } })).toContain('stays secret');
    expect(describeReserve(SETTINGS)).toBe('None');
  });

  test('second price names the runner-up', () => {
    expect(describePrice({ ...SETTINGS, price: 'second' })).toContain('second-highest');
    expect(describePrice({ ...SETTINGS, price: 'second', direction: 'lowest-wins' })).toContain('second-lowest');
  });
});

describe('outcome descriptions', () => {
  test('price comes from the signed outcome', () => {
    const published = result({ price: '12050' });

    expect(signedPrice(published, SETTINGS)).toBe('120.50');
    expect(describeOutcome(published, SETTINGS)).toBe('Sold at 120.50');
  });

  test('no sale gives its reason', () => {
    const published = result({ status: 'no-sale', noSaleReason: 'no-eligible-bid', price: null, winner: null });

    expect(describeOutcome(published, SETTINGS)).toBe('No sale: no bid met the reserve');
    expect(describeWinner(published, SETTINGS)).toBe('Nobody');
  });

  test('winner respects amount-only', () => {
    const published = result({ winner: 1 });

    expect(describeWinner(published, SETTINGS)).toBe('Bidder bob (bid #2 of the agreed set)');
    expect(describeWinner({ ...published, winnerBidderId: null }, { ...SETTINGS, disclosure: 'amount-only' })).toContain('Not published');
    expect(bidPosition(0)).toBe('bid #1');
  });
});

describe('parseTokenInput', () => {
  const token = `sbt_${'x'.repeat(43)}`;

  test.each([
    ['bare token', token],
    ['token with spaces', `  ${token}\n`],
    ['bidder link', `http://127.0.0.1:8080/auctions/0b9d8c5e-6a43-4e36-9f0e-2d1f7c8b9a10#token=${token}`],
    ['link with other fragment fields', `https://bids.example/auctions/x#lang=en&token=${token}`],
  ])('%s gives the token', (_name, input) => {
    expect(parseTokenInput(input)).toBe(token);
  });

  test.each([['empty', ''], ['too short', 'sbt_abc'], ['with spaces inside', 'sbt_abc def ghi jkl mno'], ['link without token', 'https://bids.example/auctions/x']])(
    '%s is rejected',
    (_name, input) => {
      expect(parseTokenInput(input)).toBeNull();
    },
  );
});

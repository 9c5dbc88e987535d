import { AmountError, formatMinorUnits, toMinorUnits } from '../../src/client/amount.js';

const cents = { bits: 32, decimals: 2 };

describe('toMinorUnits', () => {
  test.each([
    ['0', 0n],
    ['12', 1200n],
    ['12.5', 1250n],
    ['12.50', 1250n],
    [' 7.01 ', 701n],
    ['42949672.95', 4294967295n],
  ])('converts %j', (text, minor) => {
    expect(toMinorUnits(text, cents)).toBe(minor);
  });

  test('converts at the top of a 64-bit width', () => {
    expect(toMinorUnits('18446744073709551615', { bits: 64, decimals: 0 })).toBe(2n ** 64n - 1n);
  });

  test.each([
    ['-5', 'bid "-5" is negative: amounts must be zero or more'],
    ['- 5', 'is negative'],
    ['12.345', 'bid "12.345" has 3 decimal places; this auction allows at most 2'],
    ['42949672.96', 'bid "42949672.96" is out of range: this auction accepts at most 42949672.95 (32-bit bids)'],
    ['abc', 'bid "abc" is not a decimal number'],
    ['1e3', 'is not a decimal number'],
    ['+5', 'is not a decimal number'],
    ['1,000', 'is not a decimal number'],
    ['.5', 'is not a decimal number'],
    ['', 'bid is empty'],
  ])('rejects %j', (text, message) => {
    expect(() => toMinorUnits(text, cents, 'bid')).toThrow(AmountError);
    expect(() => toMinorUnits(text, cents, 'bid')).toThrow(message);
  });

  test('rejects any fraction without decimals', () => {
    expect(() => toMinorUnits('3.0', { bits: 8, decimals: 0 })).toThrow('has 1 decimal place; this auction allows at most 0');
  });

  test('rejects a non-string', () => {
    expect(() => toMinorUnits(12 as unknown as string, cents)).toThrow('must be a decimal string');
  });
});

describe('formatMinorUnits', () => {
  test.each([
    [0n, 2, '0.00'],
    [5n, 2, '0.05'],
    [1250n, 2, '12.50'],
    [1250n, 0, '1250'],
    [7n, 3, '0.007'],
  ])('writes %p with %p decimals as %j', (minor, decimals, text) => {
    expect(formatMinorUnits(minor, decimals)).toBe(text);
  });

  test('round-trips with toMinorUnits', () => {
    for (const minor of [0n, 1n, 99n, 100n, 123456789n]) {
      expect(toMinorUnits(formatMinorUnits(minor, 2), cents)).toBe(minor);
    }
  });
});

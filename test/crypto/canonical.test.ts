import { canonicalEncode, canonicalMessage } from '../../src/crypto/canonical.js';
import { fromBase64Url, toBase64Url } from '../../src/crypto/base64url.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('canonicalMessage', () => {
  it('ignores object key order', () => {
    const a = canonicalMessage('sealbid/test/v1', { b: 1, a: 'x', c: [true, null] });
    const b = canonicalMessage('sealbid/test/v1', { c: [true, null], a: 'x', b: 1 });
    expect(hex(a)).toBe(hex(b));
  });

  it('separates domains', () => {
    const a = canonicalMessage('sealbid/a/v1', { x: 1 });
    const b = canonicalMessage('sealbid/b/v1', { x: 1 });
    expect(hex(a)).not.toBe(hex(b));
  });

  it('distinguishes values that concatenate alike', () => {
    const pairs: Array<[unknown, unknown]> = [
      [['ab', 'c'], ['a', 'bc']],
      ['1', 1],
      [true, 'true'],
      [null, ''],
      [new Uint8Array([0x61]), 'a'],
      [{ a: 'b' }, ['a', 'b']],
      [[], {}],
    ];
    for (const [left, right] of pairs) {
      expect(hex(canonicalEncode(left as never))).not.toBe(hex(canonicalEncode(right as never)));
    }
  });

  it('encodes numbers and bigints alike', () => {
    expect(hex(canonicalEncode(5))).toBe(hex(canonicalEncode(5n)));
  });

  it('rejects values without a canonical form', () => {
    expect(() => canonicalEncode(1.5)).toThrow(/safe integer/);
    expect(() => canonicalEncode({ a: undefined } as never)).toThrow(/undefined at \$\.a/);
    expect(() => canonicalEncode((() => 1) as never)).toThrow(/cannot encode function/);
    expect(() => canonicalMessage('Bad Domain', 1)).toThrow(/invalid domain label/);
  });

  it('writes a known byte layout', () => {
    const bytes = canonicalMessage('d', { k: 'v' });
    expect(hex(bytes)).toBe('0000000164' + '6f00000001' + '000000016b' + '73' + '0000000176');
  });
});

describe('canonicalEncode against a plain reference', () => {
  // The layout written out directly: tag, then a 32-bit big-endian length or count, then the content.
  const u32 = (value: number): number[] => [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
  const text = (value: string): number[] => {
    const bytes = [...new TextEncoder().encode(value)];
    return [...u32(bytes.length), ...bytes];
  };
  const reference = (value: unknown): number[] => {
    if (value === null) return [0x7a];
    if (typeof value === 'string') return [0x73, ...text(value)];
    if (typeof value === 'boolean') return [value ? 0x74 : 0x66];
    if (typeof value === 'number' || typeof value === 'bigint') return [0x69, ...text(value.toString())];
    if (value instanceof Uint8Array) return [0x79, ...u32(value.length), ...value];
    if (Array.isArray(value)) return [0x61, ...u32(value.length), ...value.flatMap(reference)];
    const keys = Object.keys(value as object).sort();
    return [0x6f, ...u32(keys.length), ...keys.flatMap((key) => [...text(key), ...reference((value as Record<string, unknown>)[key])])];
  };

  let seed = 7;
  const next = (bound: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % bound;
  };
  const randomText = (): string => String.fromCharCode(...Array.from({ length: next(40) }, () => [0x61, 0xe9, 0x4e2d, 0xd83d, 0xde00][next(5)] + next(3)));
  const randomValue = (depth: number): unknown => {
    switch (next(depth > 3 ? 5 : 8)) {
      case 0: return null;
      case 1: return randomText();
      case 2: return next(2) === 0;
      case 3: return next(2) === 0 ? next(1_000_000) - 500_000 : BigInt(next(1_000_000)) * 10n ** 30n;
      case 4: return Uint8Array.from({ length: next(70) }, () => next(256));
      case 5:
      case 6: return Array.from({ length: next(6) }, () => randomValue(depth + 1));
      default: return Object.fromEntries(Array.from({ length: next(6) }, () => [randomText(), randomValue(depth + 1)]));
    }
  };

  it('matches on random values', () => {
    for (let i = 0; i < 500; i++) {
      const value = randomValue(0);
      expect(hex(canonicalEncode(value as never))).toBe(Buffer.from(reference(value)).toString('hex'));
    }
    const large = Array.from({ length: 3000 }, (_, i) => ({ id: `bidder-${i}`, hashes: ['f'.repeat(64), 'e'.repeat(64)] }));
    expect(hex(canonicalEncode(large))).toBe(Buffer.from(reference(large)).toString('hex'));
  });

  it('names the invalid value path', () => {
    expect(() => canonicalEncode({ bids: [{ id: 'a' }, { id: 'b', amount: 0.5 }] } as never)).toThrow(
      'cannot encode number 0.5 at $.bids[1].amount: expected a safe integer (use a bigint or a string)',
    );
    expect(() => canonicalEncode([[1, { x: undefined }]] as never)).toThrow('cannot encode undefined at $[0][1].x: omit the key or use null');
  });
});

describe('base64url', () => {
  it('round-trips every length up to 40', () => {
    for (let length = 0; length <= 40; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 0xff);
      const text = toBase64Url(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64url'));
      expect(hex(fromBase64Url(text))).toBe(hex(bytes));
    }
  });

  it('rejects non-canonical text', () => {
    expect(() => fromBase64Url('AA==')).toThrow(/unexpected character/);
    expect(() => fromBase64Url('A+B/')).toThrow(/unexpected character/);
    expect(() => fromBase64Url('AB')).toThrow(/trailing bits/);
    expect(() => fromBase64Url('AAAAA')).toThrow(/impossible/);
  });
});

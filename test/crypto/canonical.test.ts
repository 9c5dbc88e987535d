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

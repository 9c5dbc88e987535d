import fc from 'fast-check';
import { decodeMessage, encodeMessage, P, type ProtocolMessage } from '../../../src/mpc/index.js';

const protocolMessage: fc.Arbitrary<ProtocolMessage> = fc.record({
  runId: fc.string({ maxLength: 40, unit: 'grapheme' }),
  round: fc.nat({ max: 2 ** 32 - 1 }),
  operation: fc.constantFrom('multiply', 'open', 'deal', 'validate', ''),
  from: fc.integer({ min: 1, max: 255 }),
  to: fc.integer({ min: 1, max: 255 }),
  payload: fc.array(fc.integer({ min: 0, max: P - 1 }), { maxLength: 50 }).map((values) => Uint32Array.from(values)),
});

const sample: ProtocolMessage = { runId: 'run-1', round: 7, operation: 'open', from: 2, to: 3, payload: Uint32Array.of(1, 2, 3) };

describe('encodeMessage and decodeMessage', () => {
  it('round-trip any message', () => {
    fc.assert(
      fc.property(protocolMessage, (message) => {
        expect(decodeMessage(encodeMessage(message))).toEqual(message);
      }),
      { numRuns: 300 },
    );
  });

  it('decode from a view into a larger buffer', () => {
    const bytes = encodeMessage(sample);
    const larger = new Uint8Array(bytes.length + 10);
    larger.set(bytes, 5);
    expect(decodeMessage(larger.subarray(5, 5 + bytes.length))).toEqual(sample);
  });

  it('use the documented layout', () => {
    const bytes = encodeMessage(sample);
    // version, from, to, round (u32), run id (u16 + 5), operation (u16 + 4), length (u32), 3 words.
    expect(bytes.length).toBe(1 + 1 + 1 + 4 + 2 + 5 + 2 + 4 + 4 + 12);
    expect(Array.from(bytes.subarray(0, 9))).toEqual([1, 2, 3, 7, 0, 0, 0, 5, 0]);
  });

  it('reject a wrong version', () => {
    const bytes = encodeMessage(sample);
    bytes[0] = 2;
    expect(() => decodeMessage(bytes)).toThrow('invalid protocol message: expected wire version 1, got 2');
  });

  it('reject every truncation', () => {
    const bytes = encodeMessage(sample);
    for (let length = 0; length < bytes.length; length++) {
      expect(() => decodeMessage(bytes.subarray(0, length))).toThrow(/invalid protocol message/);
    }
  });

  it('reject trailing bytes', () => {
    const bytes = encodeMessage(sample);
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(() => decodeMessage(longer)).toThrow('invalid protocol message: payload of 3 words needs 12 bytes, got 13');
  });

  it('reject a name longer than 256 bytes', () => {
    expect(() => encodeMessage({ ...sample, runId: 'x'.repeat(257) })).toThrow('protocol message name has 257 bytes, at most 256 allowed');
    expect(encodeMessage({ ...sample, runId: 'x'.repeat(256) }).length).toBeGreaterThan(256);

    const bytes = encodeMessage(sample);
    bytes[7] = 0x01;
    bytes[8] = 0x01;
    expect(() => decodeMessage(bytes)).toThrow('invalid protocol message: run id has 257 bytes, at most 256 allowed');
  });

  it('reject header values that do not fit', () => {
    // Without a check, DataView stores these modulo 2^8 or 2^32 and another party or round is decoded.
    expect(() => encodeMessage({ ...sample, from: 256 })).toThrow(RangeError);
    expect(() => encodeMessage({ ...sample, to: 258 })).toThrow(RangeError);
    expect(() => encodeMessage({ ...sample, round: 2 ** 32 })).toThrow(RangeError);
  });
});

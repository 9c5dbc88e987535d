import fc from 'fast-check';
import { P, ProtocolAbortError, type Transport } from '../../../src/mpc/index.js';
import { add } from '../../../src/mpc/field/fast-field.js';
import { open } from '../../../src/mpc/protocol/open.js';
import { runParties, settleParties, shareAt } from '../harness.js';

const SETTINGS: Array<[number, number]> = [
  [3, 1],
  [4, 1],
  [5, 2],
  [7, 3],
];

/** Wraps the transport of cheater so that element index of its 'open' payloads is raised by delta toward every peer. */
function alterOpening(cheater: number, index: number, delta: number) {
  return (party: number, transport: Transport): Transport => {
    if (party !== cheater) {
      return transport;
    }
    return {
      listen: transport.listen,
      send: (message) => {
        if (message.operation !== 'open') {
          transport.send(message);
          return;
        }
        const payload = message.payload.slice();
        payload[index] = add(payload[index], delta);
        transport.send({ ...message, payload });
      },
    };
  };
}

describe('open', () => {
  it('returns the values to every party', async () => {
    for (const [parties, degree] of SETTINGS) {
      const values = [0, 1, P - 1, 424242];
      const shares = shareAt(values, parties, degree);
      const results = await runParties(parties, degree, (runtime) => open(runtime, shares[runtime.party - 1]));
      for (const result of results) {
        expect(Array.from(result)).toEqual(values);
      }
    }
  });

  it('aborts at every honest party when one share is altered', async () => {
    const setting = fc.constantFrom(...SETTINGS).chain(([parties, degree]) =>
      fc.tuple(fc.constant(parties), fc.constant(degree), fc.integer({ min: 1, max: parties }), fc.nat({ max: 3 }), fc.integer({ min: 1, max: P - 1 })),
    );
    await fc.assert(
      fc.asyncProperty(setting, async ([parties, degree, cheater, index, delta]) => {
        const shares = shareAt([5, 6, 7, 8], parties, degree);
        const results = await settleParties(parties, degree, (runtime) => open(runtime, shares[runtime.party - 1]), {
          wrap: alterOpening(cheater, index, delta),
        });

        results.forEach((result, j) => {
          if (j + 1 === cheater) {
            return;
          }
          expect(result.status).toBe('rejected');
          const reason = (result as PromiseRejectedResult).reason;
          expect(reason).toBeInstanceOf(ProtocolAbortError);
          expect(reason.message).toMatch(`1 of 4 opened values do not lie on one polynomial of degree ${degree}`);
        });
      }),
      { numRuns: 40 },
    );
  });

  it('aborts later rounds after a failed opening', async () => {
    const shares = shareAt([5], 3, 1);
    const results = await settleParties(
      3,
      1,
      async (runtime) => {
        await open(runtime, shares[runtime.party - 1]).catch(() => undefined);
        return runtime.exchange('next', () => new Uint32Array(0));
      },
      { wrap: alterOpening(2, 0, 1), timeoutMs: 300 },
    );
    for (const party of [1, 3]) {
      expect((results[party - 1] as PromiseRejectedResult).reason.message).toMatch(/opened values do not lie on one polynomial/);
    }
  });

  it('opens degree-2t sharings when asked', async () => {
    const shares = shareAt([9, 10], 5, 4);
    const results = await runParties(5, 2, (runtime) => open(runtime, shares[runtime.party - 1], 4));
    expect(Array.from(results[0])).toEqual([9, 10]);
  });

  it('aborts when a party sends the wrong number of values', async () => {
    const shares = shareAt([1, 2, 3], 3, 1);
    const wrap = (party: number, transport: Transport): Transport =>
      party !== 3 ? transport : { listen: transport.listen, send: (m) => transport.send({ ...m, payload: m.payload.subarray(1) }) };
    const results = await settleParties(3, 1, (runtime) => open(runtime, shares[runtime.party - 1]), { wrap });
    for (const party of [1, 2]) {
      const reason = (results[party - 1] as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(ProtocolAbortError);
      expect(reason.message).toBe('party 3 sent 2 values, expected 3');
    }
  });
});

/**
 * The evaluator's opening recorder between the MPC runtime and an in-memory
 * network: three parties open a sharing while party 2 alters the share it
 * sends. The honest parties record the round as inconsistent with matching
 * digests, party 2 records it as consistent, and the failure code names the
 * inconsistent opening.
 */
import { randomBytes } from 'node:crypto';

import { MemoryNetwork, PartyRuntime, ProtocolAbortError, shareSecrets, type ProtocolMessage, type Transport } from '../../src/mpc/index.js';
import { open } from '../../src/mpc/protocol/open.js';
import { OpeningRecorder } from '../../src/evaluator/compute/opening-recorder.js';
import { toRunFailure } from '../../src/evaluator/compute/run-evidence.js';
import { RunFailure } from '../../src/evaluator/compute/run-failure.js';

const RUN_ID = 'rec-1.run-1';

/** Adds 1 to the first value of every opening message it sends, to the parties in `to`. */
function cheating(transport: Transport, to: number[]): Transport {
  return {
    listen: (runId, receiver) => transport.listen(runId, receiver),
    send: (message: ProtocolMessage) => {
      if (message.operation === 'open' && to.includes(message.to)) {
        const payload = Uint32Array.from(message.payload);
        payload[0] += 1;
        transport.send({ ...message, payload });
        return;
      }
      transport.send(message);
    },
  };
}

async function openWith(cheatTo: number[]) {
  const network = new MemoryNetwork();
  const salt = randomBytes(32);
  const shares = shareSecrets(Uint32Array.of(42, 7), 3, 1);
  const recorders = [1, 2, 3].map((party) => new OpeningRecorder({ runId: RUN_ID, party, parties: 3, degree: 1 }));
  recorders.forEach((recorder) => recorder.start(salt));

  const outcomes = await Promise.allSettled(
    [1, 2, 3].map((party) => {
      const base = party === 2 ? cheating(network.transport(party), cheatTo) : network.transport(party);
      const runtime = new PartyRuntime({ runId: RUN_ID, party, parties: 3, degree: 1, transport: recorders[party - 1].wrap(base), timeoutMs: 2_000 });
      return open(runtime, shares[party - 1]).finally(() => runtime.close());
    }),
  );
  await Promise.all(recorders.map((recorder) => recorder.settle(500)));
  return { outcomes, recorders };
}

describe('opening recorder', () => {
  test('honest openings are consistent everywhere', async () => {
    const { outcomes, recorders } = await openWith([]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);

    const records = recorders.map((recorder) => recorder.stop());
    for (const party of [0, 1, 2]) {
      expect(records[party]).toHaveLength(1);
      expect(records[party][0].consistent).toBe(true);
      expect(records[party][0].digests).toEqual(records[0][0].digests);
    }
  });

  test('a wrong share is recorded by its receivers', async () => {
    const { outcomes, recorders } = await openWith([1, 3]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'fulfilled', 'rejected']);

    const [one, two, three] = recorders.map((recorder) => recorder.stop()[0]);
    expect([one.consistent, two.consistent, three.consistent]).toEqual([false, true, false]);
    expect(one.digests).toEqual(three.digests);
    expect(one.digests[1]).not.toBe(two.digests[1]);
    expect(one.digests[0]).toBe(two.digests[0]);
    expect(one.digests[2]).toBe(two.digests[2]);
  });

  test('digests hide the values', async () => {
    const { recorders } = await openWith([]);
    const [record] = recorders[0].stop();
    for (const digest of record.digests) {
      expect(digest).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  test('failure names the inconsistent opening', async () => {
    const { outcomes, recorders } = await openWith([1, 3]);
    const error = (outcomes[0] as PromiseRejectedResult).reason as Error;
    expect(error).toBeInstanceOf(ProtocolAbortError);

    const failure = toRunFailure(new RunFailure('peer-failed', 'party 3 aborted'), recorders[0]);
    expect(failure.code).toBe('opening-inconsistent');
    expect(failure.message).toMatch(/^the shares opened in round 0 do not lie on one polynomial of degree t/);
  });

  test('failure codes for other errors', () => {
    const recorder = new OpeningRecorder({ runId: RUN_ID, party: 1, parties: 3, degree: 1 });
    const timeout = new ProtocolAbortError(`run ${RUN_ID} timed out after 1000 ms in round 4 (multiply) waiting for parties 3`);
    expect(toRunFailure(timeout, recorder).code).toBe('round-timeout');
    expect(toRunFailure(new ProtocolAbortError('duplicate message from party 2 in round 3'), recorder).code).toBe('protocol-aborted');
    expect(toRunFailure(new RunFailure('peer-disconnected', 'lost party 2'), recorder).code).toBe('peer-disconnected');
    expect(toRunFailure(new Error('disk full'), recorder).code).toBe('computation-failed');
  });
});

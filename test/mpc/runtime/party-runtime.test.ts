import {
  encodeMessage,
  MemoryNetwork,
  PartyRuntime,
  ProtocolAbortError,
  type MessageReceiver,
  type ProtocolMessage,
  type Transport,
} from '../../../src/mpc/index.js';
import { runParties, settleParties } from '../harness.js';

/** Creates a transport for one party that records what it sends and lets the test deliver messages by hand. */
function manualTransport(): { transport: Transport; sent: ProtocolMessage[]; deliver: MessageReceiver; listening: string[] } {
  const sent: ProtocolMessage[] = [];
  const listening: string[] = [];
  let receiver: MessageReceiver | null = null;

  const transport: Transport = {
    send: (message) => sent.push(message),
    listen: (runId, r) => {
      listening.push(runId);
      receiver = r;
      return () => {
        receiver = null;
      };
    },
  };
  const deliver: MessageReceiver = (message) => receiver?.(message);
  return { transport, sent, deliver, listening };
}

const RUN = 'run-a';

/** Creates party 1 of 3 on a manual transport. */
function partyOne(timeoutMs = 2000): { runtime: PartyRuntime; sent: ProtocolMessage[]; deliver: MessageReceiver } {
  const { transport, sent, deliver } = manualTransport();
  const runtime = new PartyRuntime({ runId: RUN, party: 1, parties: 3, degree: 1, transport, timeoutMs });
  return { runtime, sent, deliver };
}

function message(from: number, round: number, operation = 'op', payload: Uint32Array = Uint32Array.of(from, round)): ProtocolMessage {
  return { runId: RUN, round, operation, from, to: 1, payload };
}

const payloadOf = (party: number): Uint32Array => Uint32Array.of(party * 10);

describe('PartyRuntime messages', () => {
  it('tags every message with run, round, operation and parties', async () => {
    const { runtime, sent, deliver } = partyOne();
    const first = runtime.exchange('first', (peer) => Uint32Array.of(100 + peer));
    deliver(message(2, 0, 'first'));
    deliver(message(3, 0, 'first'));
    await first;

    const second = runtime.exchange('second', (peer) => Uint32Array.of(200 + peer));
    deliver(message(3, 1, 'second'));
    deliver(message(2, 1, 'second'));
    await second;

    const tags = sent.map(({ runId, round, operation, from, to, payload }) => [runId, round, operation, from, to, payload[0]]);
    expect(tags).toEqual([
      [RUN, 0, 'first', 1, 2, 102],
      [RUN, 0, 'first', 1, 3, 103],
      [RUN, 1, 'second', 1, 2, 202],
      [RUN, 1, 'second', 1, 3, 203],
    ]);
    runtime.close();
  });

  it('returns the payloads indexed by party', async () => {
    const { runtime, deliver } = partyOne();
    const round = runtime.exchange('op', () => payloadOf(1));
    deliver(message(3, 0, 'op', payloadOf(3)));
    deliver(message(2, 0, 'op', payloadOf(2)));

    expect((await round).map((payload) => payload[0])).toEqual([10, 20, 30]);
    runtime.close();
  });

  it('keeps a message one round ahead for the next round', async () => {
    const { runtime, deliver } = partyOne();
    const first = runtime.exchange('op', () => payloadOf(1));
    deliver(message(2, 0));
    deliver(message(2, 1, 'next', payloadOf(2)));
    deliver(message(3, 0));
    await first;

    const second = runtime.exchange('next', () => payloadOf(1));
    deliver(message(3, 1, 'next', payloadOf(3)));
    expect((await second).map((payload) => payload[0])).toEqual([10, 20, 30]);
    runtime.close();
  });

  it('counts rounds and bytes in the wire format', async () => {
    const { runtime, sent, deliver } = partyOne();
    for (let round = 0; round < 3; round++) {
      const pending = runtime.exchange(`op-${round}`, () => new Uint32Array(round * 5));
      deliver(message(2, round, `op-${round}`));
      deliver(message(3, round, `op-${round}`));
      await pending;
    }

    expect(runtime.stats.rounds).toBe(3);
    expect(runtime.stats.multiplications).toBe(0);
    expect(runtime.stats.bytesSent).toBe(sent.reduce((sum, m) => sum + encodeMessage(m).length, 0));
    runtime.close();
  });

  it('counts bytes of a non-ASCII run id in the wire format', async () => {
    const { transport, sent, deliver } = manualTransport();
    const runId = 'enchère-№7';
    const runtime = new PartyRuntime({ runId, party: 1, parties: 3, degree: 1, transport, timeoutMs: 2000 });
    const pending = runtime.exchange('op', () => Uint32Array.of(1, 2));
    deliver({ ...message(2, 0), runId });
    deliver({ ...message(3, 0), runId });
    await pending;

    expect(runtime.stats.bytesSent).toBe(sent.reduce((sum, m) => sum + encodeMessage(m).length, 0));
    runtime.close();
  });

  it('listens for its own run id only', () => {
    const { transport, listening } = manualTransport();
    const runtime = new PartyRuntime({ runId: 'run-x', party: 2, parties: 3, degree: 1, transport });
    expect(listening).toEqual(['run-x']);
    runtime.close();
  });
});

describe('PartyRuntime aborts', () => {
  async function expectAbort(pending: Promise<unknown>, problem: RegExp): Promise<void> {
    await expect(pending).rejects.toThrow(ProtocolAbortError);
    await expect(pending).rejects.toThrow(problem);
  }

  it('aborts on a duplicated message in a running round', async () => {
    const { runtime, deliver } = partyOne();
    const round = runtime.exchange('op', () => payloadOf(1));
    deliver(message(2, 0));
    deliver(message(2, 0));
    await expectAbort(round, /run run-a: duplicate message from party 2 in round 0/);
  });

  it('aborts on a duplicate of the message that completes a round', async () => {
    const { runtime, deliver } = partyOne(300);
    const first = runtime.exchange('op', () => payloadOf(1));
    deliver(message(2, 0));
    deliver(message(3, 0));
    deliver(message(3, 0));
    await first.catch(() => undefined);

    const second = runtime.exchange('op', () => payloadOf(1));
    await expectAbort(second, /duplicate (or replayed )?message from party 3/);
  });

  it('aborts on a replayed message from a finished round', async () => {
    const { runtime, deliver } = partyOne();
    const first = runtime.exchange('op', () => payloadOf(1));
    deliver(message(2, 0));
    deliver(message(3, 0));
    await first;

    const second = runtime.exchange('op', () => payloadOf(1));
    deliver(message(2, 1));
    deliver(message(3, 0));
    await expectAbort(second, /run run-a: duplicate or replayed message from party 3 for finished round 0/);
  });

  it('aborts on a message for a round far ahead', async () => {
    const { runtime, deliver } = partyOne();
    const round = runtime.exchange('op', () => payloadOf(1));
    deliver(message(2, 5));
    await expectAbort(round, /run run-a: message from party 2 for round 5 arrived while in round 0/);
  });

  it('aborts on a message with the wrong operation', async () => {
    const { runtime, deliver } = partyOne();
    const round = runtime.exchange('multiply', () => payloadOf(1));
    deliver(message(2, 0, 'multiply'));
    deliver(message(3, 0, 'open'));
    await expectAbort(round, /run run-a: party 3 sent open in round 0, expected multiply/);
  });

  it('aborts on a message for another run', async () => {
    const { runtime, deliver } = partyOne();
    const round = runtime.exchange('op', () => payloadOf(1));
    deliver({ ...message(2, 0), runId: 'run-b' });
    await expectAbort(round, /run run-a: message for run run-b delivered to this run/);
  });

  it('aborts on a message from an invalid party', async () => {
    for (const from of [0, 1, 4, 1.5]) {
      const { runtime, deliver } = partyOne();
      const round = runtime.exchange('op', () => payloadOf(1));
      deliver(message(from, 0));
      await expectAbort(round, new RegExp(`message from invalid party ${from}`));
    }
  });

  it('aborts on a message addressed to another party', async () => {
    const { runtime, deliver } = partyOne();
    const round = runtime.exchange('op', () => payloadOf(1));
    deliver({ ...message(2, 0), to: 3 });
    await expectAbort(round, /message for party 3 delivered to party 1/);
  });

  it('fails every later round after an abort', async () => {
    const { runtime, deliver } = partyOne();
    const round = runtime.exchange('op', () => payloadOf(1));
    deliver(message(2, 9));
    await expectAbort(round, /round 9/);
    await expectAbort(runtime.exchange('op', () => payloadOf(1)), /round 9/);
  });

  it('rejects overlapping rounds', async () => {
    const { runtime } = partyOne(200);
    const first = runtime.exchange('op', () => payloadOf(1));
    await expectAbort(runtime.exchange('op', () => payloadOf(1)), /round 0 is still running; rounds must not overlap/);
    await first.catch(() => undefined);
  });

  it('times out naming the missing party', async () => {
    const { runtime, deliver } = partyOne(100);
    const round = runtime.exchange('op', () => payloadOf(1));
    deliver(message(2, 0));
    await expectAbort(round, /run run-a timed out after 100 ms in round 0 \(op\) waiting for parties 3$/);
  });

  it('times out naming every missing party', async () => {
    const { runtime } = partyOne(50);
    await expectAbort(runtime.exchange('op', () => payloadOf(1)), /waiting for parties 2, 3$/);
  });

  it('aborts a pending round when closed', async () => {
    const { runtime } = partyOne();
    const round = runtime.exchange('op', () => payloadOf(1));
    runtime.close();
    await expectAbort(round, /run run-a is closed/);
  });

  it('rejects invalid options', () => {
    const { transport } = manualTransport();
    const options = { runId: RUN, parties: 3, degree: 1, transport };
    expect(() => new PartyRuntime({ ...options, party: 0 })).toThrow('party must be an integer from 1 to 3, got 0');
    expect(() => new PartyRuntime({ ...options, party: 4 })).toThrow(RangeError);
    expect(() => new PartyRuntime({ ...options, party: 1.5 })).toThrow(RangeError);
    expect(() => new PartyRuntime({ ...options, party: 1, parties: 2 })).toThrow(/party count n must be at least 2t \+ 1/);
  });
});

describe('PartyRuntime over the memory network', () => {
  /** Runs three rounds in which every party sends its number and the round to every peer. */
  async function program(runtime: PartyRuntime): Promise<number[][]> {
    const seen: number[][] = [];
    for (let round = 0; round < 3; round++) {
      const payloads = await runtime.exchange('echo', (peer) => Uint32Array.of(runtime.party, round, peer));
      seen.push(payloads.map((payload) => payload[0] * 100 + payload[1] * 10));
    }
    return seen;
  }

  it('delivers every round at every party', async () => {
    const results = await runParties(5, 2, program);
    results.forEach((seen) => {
      expect(seen).toEqual([0, 1, 2].map((round) => [1, 2, 3, 4, 5].map((party) => party * 100 + round * 10)));
    });
  });

  it('aborts when a party sends every message twice', async () => {
    const wrap = (party: number, transport: Transport): Transport =>
      party !== 3
        ? transport
        : {
            listen: transport.listen,
            send: (m) => {
              transport.send(m);
              transport.send(m);
            },
          };
    const results = await settleParties(3, 1, program, { wrap, timeoutMs: 500 });
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');

    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(failure.reason).toBeInstanceOf(ProtocolAbortError);
    }
    expect(failures.map((f) => String(f.reason.message)).join('\n')).toMatch(/duplicate (or replayed )?message from party 3/);
  });

  it('aborts when a party renames the operation', async () => {
    const wrap = (party: number, transport: Transport): Transport =>
      party !== 2 ? transport : { listen: transport.listen, send: (m) => transport.send({ ...m, operation: 'other' }) };
    const results = await settleParties(3, 1, program, { wrap, timeoutMs: 500 });

    for (const party of [1, 3]) {
      const result = results[party - 1];
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason.message).toMatch(/party 2 sent other in round 0, expected echo/);
    }
  });

  it('times out naming the party whose message was lost', async () => {
    const wrap = (party: number, transport: Transport): Transport =>
      party !== 3 ? transport : { listen: transport.listen, send: (m) => (m.to === 1 && m.round === 1 ? undefined : transport.send(m)) };
    const results = await settleParties(3, 1, program, { wrap, timeoutMs: 200 });

    const first = results[0];
    expect(first.status).toBe('rejected');
    expect((first as PromiseRejectedResult).reason).toBeInstanceOf(ProtocolAbortError);
    expect((first as PromiseRejectedResult).reason.message).toMatch(/timed out after 200 ms in round 1 \(echo\) waiting for parties 3$/);
  });

  it('keeps two runs on one network apart', async () => {
    const network = new MemoryNetwork();
    const runtimes = ['run-1', 'run-2'].flatMap((runId) =>
      [1, 2, 3].map((party) => new PartyRuntime({ runId, party, parties: 3, degree: 1, transport: network.transport(party) })),
    );
    const results = await Promise.all(runtimes.map((runtime) => program(runtime)));
    runtimes.forEach((runtime) => runtime.close());

    const expected = [0, 1, 2].map((round) => [1, 2, 3].map((party) => party * 100 + round * 10));
    results.forEach((seen) => expect(seen).toEqual(expected));
  });
});

import { MemoryNetwork, type ProtocolMessage } from '../../../src/mpc/index.js';

const message = (to: number, runId: string, round = 0): ProtocolMessage => ({
  runId,
  round,
  operation: 'op',
  from: 1,
  to,
  payload: Uint32Array.of(round),
});

const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('MemoryNetwork', () => {
  it('delivers asynchronously to the receiver of the run and party', async () => {
    const network = new MemoryNetwork();
    const received: string[] = [];
    network.transport(2).listen('a', (m) => received.push(`2/a/${m.round}`));
    network.transport(3).listen('a', (m) => received.push(`3/a/${m.round}`));
    network.transport(2).listen('b', (m) => received.push(`2/b/${m.round}`));

    const sender = network.transport(1);
    sender.send(message(2, 'a', 1));
    sender.send(message(3, 'a', 2));
    sender.send(message(2, 'b', 3));
    expect(received).toEqual([]);

    await flush();
    expect(received).toEqual(['2/a/1', '3/a/2', '2/b/3']);
  });

  it('buffers messages until their run has a receiver', async () => {
    const network = new MemoryNetwork();
    network.transport(1).send(message(2, 'late', 1));
    network.transport(1).send(message(2, 'late', 2));
    await flush();

    const received: number[] = [];
    network.transport(2).listen('late', (m) => received.push(m.round));
    expect(received).toEqual([1, 2]);
  });

  it('stops delivering after unlisten', async () => {
    const network = new MemoryNetwork();
    const received: number[] = [];
    const unlisten = network.transport(2).listen('a', (m) => received.push(m.round));
    unlisten();
    network.transport(1).send(message(2, 'a'));
    await flush();
    expect(received).toEqual([]);
  });

  it('delays delivery by delayMs', async () => {
    const network = new MemoryNetwork({ delayMs: 30 });
    const received: number[] = [];
    network.transport(2).listen('a', (m) => received.push(m.round));
    network.transport(1).send(message(2, 'a', 4));

    await flush();
    expect(received).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(received).toEqual([4]);
  });
});

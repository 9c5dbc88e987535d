import { jest } from '@jest/globals';

import type { ProtocolMessage } from '../../src/mpc/index.js';
import type { EvaluatorConfig } from '../../src/evaluator/config/evaluator-config.js';
import type { PeerNetwork } from '../../src/evaluator/peers/peer-network.js';
import { PeerTransport } from '../../src/evaluator/peers/peer-transport.js';

class FakeNetwork {
  sent: ProtocolMessage[] = [];
  private listener: ((message: ProtocolMessage) => void) | null = null;

  onProtocolMessage(listener: (message: ProtocolMessage) => void): void {
    this.listener = listener;
  }

  sendProtocol(message: ProtocolMessage): void {
    this.sent.push(message);
  }

  arrive(message: ProtocolMessage): void {
    this.listener?.(message);
  }
}

const config = { agreementTimeoutMs: 1000, roundTimeoutMs: 500 } as EvaluatorConfig;
const message = (runId: string, round = 0): ProtocolMessage => ({ runId, round, operation: 'op', from: 2, to: 1, payload: Uint32Array.of(round) });

function setup(): { network: FakeNetwork; transport: PeerTransport } {
  const network = new FakeNetwork();
  return { network, transport: new PeerTransport(network as unknown as PeerNetwork, config) };
}

describe('PeerTransport', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('sends through the network', () => {
    const { network, transport } = setup();
    transport.send(message('r1'));
    expect(network.sent).toHaveLength(1);
  });

  it('delivers to the run receiver', () => {
    const { network, transport } = setup();
    const received: ProtocolMessage[] = [];
    transport.listen('r1', (m) => received.push(m));
    network.arrive(message('r1'));
    network.arrive(message('r2'));
    expect(received.map((m) => m.runId)).toEqual(['r1']);
  });

  it('buffers messages of runs not started', () => {
    const { network, transport } = setup();
    network.arrive(message('r1', 0));
    network.arrive(message('r1', 1));
    const received: ProtocolMessage[] = [];
    transport.listen('r1', (m) => received.push(m));
    expect(received.map((m) => m.round)).toEqual([0, 1]);
  });

  it('drops buffered messages after the timeout', () => {
    jest.useFakeTimers({ now: 0 });
    const { network, transport } = setup();
    network.arrive(message('old'));
    jest.setSystemTime(1501);
    network.arrive(message('new'));

    const old: ProtocolMessage[] = [];
    const fresh: ProtocolMessage[] = [];
    transport.listen('old', (m) => old.push(m));
    transport.listen('new', (m) => fresh.push(m));
    expect(old).toHaveLength(0);
    expect(fresh).toHaveLength(1);
  });

  it('bounds the buffer per run', () => {
    const { network, transport } = setup();
    for (let round = 0; round < 5000; round++) {
      network.arrive(message('flood', round));
    }
    const received: ProtocolMessage[] = [];
    transport.listen('flood', (m) => received.push(m));
    expect(received).toHaveLength(4096);
  });

  it('bounds the number of buffered runs', () => {
    const { network, transport } = setup();
    for (let run = 0; run < 70; run++) {
      network.arrive(message(`run-${run}`));
    }
    const first: ProtocolMessage[] = [];
    const last: ProtocolMessage[] = [];
    transport.listen('run-0', (m) => first.push(m));
    transport.listen('run-69', (m) => last.push(m));
    expect(first).toHaveLength(1);
    expect(last).toHaveLength(0);
  });

  it('stops delivery after unlisten', () => {
    const { network, transport } = setup();
    const received: ProtocolMessage[] = [];
    const unlisten = transport.listen('r1', (m) => received.push(m));
    unlisten();
    network.arrive(message('r1'));
    expect(received).toHaveLength(0);
    expect(() => transport.listen('r1', () => undefined)).not.toThrow();
    expect(() => transport.listen('r1', () => undefined)).toThrow(/already has a receiver/);
  });
});

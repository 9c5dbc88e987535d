import { EventEmitter } from 'node:events';

import type { WebSocket } from 'ws';

import { generateSigningKeyPair } from '../../src/crypto/index.js';
import { FRAME_PROTOCOL, PeerConnection, type ConnectionHandlers } from '../../src/evaluator/peers/peer-connection.js';
import { DialerHandshake, ListenerHandshake, type SecureChannel } from '../../src/evaluator/peers/secure-channel.js';

/** Records what a PeerConnection writes, and whether the stream was corked at each write. */
class RecordingSocket extends EventEmitter {
  readonly fragments: Array<{ piece: Uint8Array; fin: boolean; corked: boolean }> = [];

  constructor(private readonly stream: RecordingStream) {
    super();
  }

  send(piece: Uint8Array, options: { fin: boolean }): void {
    this.fragments.push({ piece, fin: options.fin, corked: this.stream.depth > 0 });
  }

  close(): void {}
}

class RecordingStream {
  depth = 0;
  corks = 0;

  cork(): void {
    this.depth += 1;
    this.corks += 1;
  }

  uncork(): void {
    this.depth -= 1;
  }
}

function channels(): { sender: SecureChannel; receiver: SecureChannel } {
  const dialerKeys = generateSigningKeyPair();
  const listenerKeys = generateSigningKeyPair();
  const listener = new ListenerHandshake(2, listenerKeys.secretKey);
  const dialer = new DialerHandshake(1, 2, dialerKeys.secretKey, listenerKeys.publicKey);
  const accepted = listener.accept(dialer.hello(listener.challenge()), () => dialerKeys.publicKey);
  return { sender: dialer.finish(accepted.welcome), receiver: accepted.channel };
}

const handlers: ConnectionHandlers = { onProtocol: () => undefined, onControl: () => undefined, onClose: () => undefined };

/** Joins the recorded fragments into whole WebSocket messages. */
function messages(fragments: RecordingSocket['fragments']): Uint8Array[] {
  const joined: Uint8Array[] = [];
  let parts: Uint8Array[] = [];
  for (const fragment of fragments) {
    parts.push(fragment.piece);
    if (fragment.fin) {
      joined.push(Buffer.concat(parts));
      parts = [];
    }
  }
  return joined;
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('peer connection writes', () => {
  it('corks the sends of one turn together', async () => {
    const stream = new RecordingStream();
    const socket = new RecordingSocket(stream);
    const { sender, receiver } = channels();
    const connection = new PeerConnection(2, socket as unknown as WebSocket, sender, handlers, stream);

    connection.sendProtocol(Uint8Array.of(1, 2, 3));
    connection.sendProtocol(Uint8Array.of(4, 5));
    expect(stream.depth).toBe(1);
    await nextTurn();

    expect(stream.corks).toBe(1);
    expect(stream.depth).toBe(0);
    expect(socket.fragments.every((fragment) => fragment.corked)).toBe(true);
    const opened = messages(socket.fragments).map((frame) => [...receiver.open(frame)]);
    expect(opened).toEqual([[FRAME_PROTOCOL, 1, 2, 3], [FRAME_PROTOCOL, 4, 5]]);
  });

  it('corks again in a later turn', async () => {
    const stream = new RecordingStream();
    const socket = new RecordingSocket(stream);
    const connection = new PeerConnection(2, socket as unknown as WebSocket, channels().sender, handlers, stream);

    connection.sendProtocol(Uint8Array.of(1));
    await nextTurn();
    connection.sendProtocol(Uint8Array.of(2));
    await nextTurn();

    expect(stream.corks).toBe(2);
    expect(stream.depth).toBe(0);
  });

  it('sends without a stream', () => {
    const stream = new RecordingStream();
    const socket = new RecordingSocket(stream);
    const connection = new PeerConnection(2, socket as unknown as WebSocket, channels().sender, handlers);

    connection.sendProtocol(Uint8Array.of(7));

    expect(messages(socket.fragments)).toHaveLength(1);
    expect(stream.corks).toBe(0);
  });
});

import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { WebSocket, type RawData } from 'ws';

import { decodeMessage, encodeMessage, type ProtocolMessage } from '../../mpc/index.js';
import { EVALUATOR_CONFIG, EVALUATOR_KEYS } from '../common/tokens.js';
import type { EvaluatorConfig, PeerConfig } from '../config/evaluator-config.js';
import type { EvaluatorKeys } from '../keys/index.js';
import { PeerConnection, type ConnectionHandlers, type CorkableStream } from './peer-connection.js';
import { ChannelError, DialerHandshake, ListenerHandshake } from './secure-channel.js';

/** Largest frame a peer may send, in bytes. */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;
const HANDSHAKE_TIMEOUT_MS = 10_000;
const MAX_RECONNECT_DELAY_MS = 10_000;

/**
 * Sets the WebSocket masking key of outgoing frames to zero, so that neither
 * end XORs each payload byte: the sender and receiver of ws 8 skip both
 * steps for a zero key. Masking protects proxies from scripts in a browser.
 * Peers are services, and the secure channel already encrypts every payload.
 */
function zeroMask(mask: Uint8Array): void {
  mask.fill(0);
}

/** Error for a message to a peer that is not connected. */
export class PeerUnavailableError extends Error {
  override readonly name = 'PeerUnavailableError';

  constructor(readonly peer: number) {
    super(`party ${peer} is not connected`);
  }
}

type ProtocolListener = (message: ProtocolMessage) => void;
type ControlListener = (peer: number, message: unknown) => void;
type PeerDownListener = (peer: number, reason: string) => void;

/**
 * The evaluator's connections to its peers. Party i dials every peer j > i
 * and accepts connections from every j < i, so each pair shares exactly one
 * connection. A dropped connection is redialed with exponential backoff by
 * its dialing side, and every peer-down listener is called at once.
 */
@Injectable()
export class PeerNetwork implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PeerNetwork.name);
  private readonly connections = new Map<number, PeerConnection>();
  private readonly protocolListeners: ProtocolListener[] = [];
  private readonly controlListeners: ControlListener[] = [];
  private readonly peerDownListeners: PeerDownListener[] = [];
  private readonly reconnectTimers = new Map<number, ReturnType<typeof setTimeout>>();
  private readonly failedAttempts = new Map<number, number>();
  private readonly pendingSockets = new Set<WebSocket>();
  private stopped = false;

  constructor(
    @Inject(EVALUATOR_CONFIG) private readonly config: EvaluatorConfig,
    @Inject(EVALUATOR_KEYS) private readonly keys: EvaluatorKeys,
  ) {}

  onApplicationBootstrap(): void {
    for (const peer of this.config.peers.filter((p) => p.index > this.config.index)) {
      this.dial(peer);
    }
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    this.reconnectTimers.forEach((timer) => clearTimeout(timer));
    this.reconnectTimers.clear();
    this.pendingSockets.forEach((socket) => socket.terminate());
    this.connections.forEach((connection) => connection.close('evaluator shutting down'));
  }

  /** Registers a receiver of every protocol message from any peer. */
  onProtocolMessage(listener: ProtocolListener): void {
    this.protocolListeners.push(listener);
  }

  /** Registers a receiver of every control message from any peer. */
  onControlMessage(listener: ControlListener): void {
    this.controlListeners.push(listener);
  }

  /** Registers a callback for a lost peer connection. */
  onPeerDown(listener: PeerDownListener): void {
    this.peerDownListeners.push(listener);
  }

  /** Returns whether the connection to a peer is established. */
  isConnected(peer: number): boolean {
    return this.connections.get(peer)?.isOpen ?? false;
  }

  /** Returns the connection state of every peer in party order. */
  status(): Array<{ party: number; connected: boolean }> {
    return this.config.peers.map((peer) => ({ party: peer.index, connected: this.isConnected(peer.index) }));
  }

  /**
   * Sends a protocol message to its recipient.
   * @throws PeerUnavailableError when the recipient is not connected.
   */
  sendProtocol(message: ProtocolMessage): void {
    this.connectionTo(message.to).sendProtocol(encodeMessage(message));
  }

  /**
   * Sends a control message to one peer.
   * @throws PeerUnavailableError when the peer is not connected.
   */
  sendControl(peer: number, message: unknown): void {
    this.connectionTo(peer).sendControl(message);
  }

  /**
   * Handles a connection accepted by the WebSocket gateway: runs the
   * listener side of the handshake. The stream under the socket, when
   * given, lets the connection group its writes.
   */
  accept(socket: WebSocket, stream: CorkableStream | null = null): void {
    const handshake = new ListenerHandshake(this.config.index, this.keys.signing.secretKey);
    const pinnedKey = (party: number): Uint8Array | undefined =>
      party < this.config.index ? this.config.peers.find((p) => p.index === party)?.signingPublicKey : undefined;
    const timer = this.handshakeTimer(socket, 'incoming connection');

    socket.once('message', (data: RawData, isBinary: boolean) => {
      clearTimeout(timer);
      try {
        const { peer, welcome, channel } = handshake.accept(parseJsonFrame(data, isBinary), pinnedKey);
        socket.send(JSON.stringify(welcome));
        this.attach(peer, socket, new PeerConnection(peer, socket, channel, this.handlers(), stream));
      } catch (error) {
        this.logger.warn(`rejected incoming peer connection: ${(error as Error).message}`);
        socket.close(1008, 'handshake failed');
      }
    });
    socket.send(JSON.stringify(handshake.challenge()));
  }

  private dial(peer: PeerConfig): void {
    if (this.stopped) {
      return;
    }
    const socket = new WebSocket(peer.url, { maxPayload: MAX_FRAME_BYTES, handshakeTimeout: HANDSHAKE_TIMEOUT_MS, generateMask: zeroMask });
    const handshake = new DialerHandshake(this.config.index, peer.index, this.keys.signing.secretKey, peer.signingPublicKey);
    const timer = this.handshakeTimer(socket, `party ${peer.index}`);
    let step: 'challenge' | 'welcome' | 'done' = 'challenge';
    let stream: CorkableStream | null = null;
    this.pendingSockets.add(socket);
    socket.once('upgrade', (response) => (stream = response.socket));

    const onMessage = (data: RawData, isBinary: boolean): void => {
      try {
        if (step === 'challenge') {
          socket.send(JSON.stringify(handshake.hello(parseJsonFrame(data, isBinary))));
          step = 'welcome';
          return;
        }
        const channel = handshake.finish(parseJsonFrame(data, isBinary));
        step = 'done';
        clearTimeout(timer);
        this.pendingSockets.delete(socket);
        socket.off('message', onMessage);
        this.attach(peer.index, socket, new PeerConnection(peer.index, socket, channel, this.handlers(), stream));
      } catch (error) {
        this.logger.warn(`handshake with party ${peer.index} failed: ${(error as Error).message}`);
        socket.close(1008, 'handshake failed');
      }
    };
    socket.on('message', onMessage);
    socket.on('error', (error) => this.noteDialFailure(peer.index, error.message));
    socket.on('close', () => {
      clearTimeout(timer);
      this.pendingSockets.delete(socket);
      if (step !== 'done') {
        this.scheduleReconnect(peer);
      }
    });
  }

  private attach(peer: number, socket: WebSocket, connection: PeerConnection): void {
    const previous = this.connections.get(peer);
    this.connections.set(peer, connection);
    previous?.close('replaced by a new connection');
    socket.on('message', (data: RawData, isBinary: boolean) => connection.receive(toBytes(data), isBinary));
    this.failedAttempts.delete(peer);
    this.logger.log(`connected to party ${peer}`);
  }

  private handlers(): ConnectionHandlers {
    return {
      onProtocol: (peer, bytes) => this.deliverProtocol(peer, bytes),
      onControl: (peer, message) => this.controlListeners.forEach((listener) => listener(peer, message)),
      onClose: (connection, reason) => this.handleClose(connection, reason),
    };
  }

  private deliverProtocol(peer: number, bytes: Uint8Array): void {
    let message: ProtocolMessage;
    try {
      message = decodeMessage(bytes);
    } catch (error) {
      this.connections.get(peer)?.close(`invalid protocol message: ${(error as Error).message}`);
      return;
    }
    // The channel authenticates the sender, so a message claiming another sender or recipient is a protocol violation.
    if (message.from !== peer || message.to !== this.config.index) {
      this.connections.get(peer)?.close(`party ${peer} sent a message labelled from ${message.from} to ${message.to}`);
      return;
    }
    this.protocolListeners.forEach((listener) => listener(message));
  }

  private handleClose(connection: PeerConnection, reason: string): void {
    if (this.connections.get(connection.peer) !== connection) {
      return;
    }
    this.connections.delete(connection.peer);
    if (!this.stopped) {
      this.logger.warn(`lost connection to party ${connection.peer}: ${reason}`);
    }
    this.peerDownListeners.forEach((listener) => listener(connection.peer, reason));

    const peer = this.config.peers.find((p) => p.index === connection.peer);
    if (peer && peer.index > this.config.index) {
      this.scheduleReconnect(peer);
    }
  }

  private scheduleReconnect(peer: PeerConfig): void {
    if (this.stopped || this.reconnectTimers.has(peer.index)) {
      return;
    }
    const attempts = this.failedAttempts.get(peer.index) ?? 0;
    this.failedAttempts.set(peer.index, attempts + 1);
    const delay = Math.min(this.config.reconnectDelayMs * 2 ** Math.min(attempts, 10), MAX_RECONNECT_DELAY_MS);
    const timer = setTimeout(() => {
      this.reconnectTimers.delete(peer.index);
      this.dial(peer);
    }, delay);
    timer.unref();
    this.reconnectTimers.set(peer.index, timer);
  }

  // Logs the first failure of a series only, so an unreachable peer does not flood the log.
  private noteDialFailure(peer: number, message: string): void {
    if ((this.failedAttempts.get(peer) ?? 0) === 0) {
      this.logger.warn(`cannot reach party ${peer} (${message}); retrying with backoff`);
    }
  }

  private handshakeTimer(socket: WebSocket, peerName: string): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.logger.warn(`handshake with ${peerName} timed out after ${HANDSHAKE_TIMEOUT_MS} ms`);
      socket.terminate();
    }, HANDSHAKE_TIMEOUT_MS);
    timer.unref();
    return timer;
  }

  private connectionTo(peer: number): PeerConnection {
    const connection = this.connections.get(peer);
    if (!connection?.isOpen) {
      throw new PeerUnavailableError(peer);
    }
    return connection;
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) {
    return new Uint8Array(Buffer.concat(data));
  }
  if (data instanceof ArrayBuffer) {
    return new Uint8Array(data);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function parseJsonFrame(data: RawData, isBinary: boolean): unknown {
  if (isBinary) {
    throw new ChannelError('expected a JSON text frame during the handshake');
  }
  try {
    return JSON.parse(Buffer.from(toBytes(data)).toString('utf8'));
  } catch {
    throw new ChannelError('handshake frame is not valid JSON');
  }
}

import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
} from '@nestjs/websockets';
import type { WebSocket } from 'ws';

import { AuctionsService } from '../auctions/auctions.service.js';
import { NotFoundError } from '../common/domain-errors.js';
import { ResultsService } from '../computation/results.service.js';
import { AuctionEvents, type AuctionEvent } from './auction-events.js';
import { eventMessageProblem } from './event-message.js';

/** Path of the WebSocket endpoint on the orchestrator's HTTP port. */
export const EVENTS_PATH = '/v1/events';

const MAX_SUBSCRIPTIONS_PER_SOCKET = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Live events over WebSocket. A client sends
 * {"event":"subscribe","data":{"auctionId":"..."}} and receives a snapshot
 * ("subscribed": state, reason, sealed-bid count, result when published),
 * then "state", "bids" and "result" events for that auction as they are
 * committed. {"event":"unsubscribe",...} stops them.
 */
@WebSocketGateway({ path: EVENTS_PATH })
export class EventsGateway implements OnModuleInit, OnModuleDestroy, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(EventsGateway.name);
  private readonly subscribers = new Map<string, Set<WebSocket>>();
  private readonly socketAuctions = new Map<WebSocket, Set<string>>();
  /** Events held per socket and auction while that subscription's snapshot is read. */
  private readonly holding = new Map<WebSocket, Map<string, string[]>>();
  private unsubscribeEvents: (() => void) | null = null;

  constructor(
    private readonly events: AuctionEvents,
    private readonly auctions: AuctionsService,
    private readonly results: ResultsService,
  ) {}

  onModuleInit(): void {
    this.unsubscribeEvents = this.events.subscribe((event) => this.broadcast(event));
  }

  onModuleDestroy(): void {
    this.unsubscribeEvents?.();
  }

  /** Sends an error event back for a message that no handler would receive: not JSON, not an object, or an unknown event. */
  handleConnection(socket: WebSocket): void {
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      const problem = eventMessageProblem(data, isBinary);
      if (problem !== null) {
        socket.send(JSON.stringify({ event: 'error', data: { message: problem } }));
      }
    });
  }

  handleDisconnect(socket: WebSocket): void {
    for (const auctionId of this.socketAuctions.get(socket) ?? []) {
      this.removeSubscriber(auctionId, socket);
    }
    this.socketAuctions.delete(socket);
    this.holding.delete(socket);
  }

  @SubscribeMessage('subscribe')
  async subscribe(@ConnectedSocket() socket: WebSocket, @MessageBody() body: unknown) {
    const auctionId = readAuctionId(body);
    if (auctionId === null) {
      return { event: 'error', data: { message: 'subscribe needs data.auctionId, an auction UUID' } };
    }
    const joined = this.socketAuctions.get(socket) ?? new Set<string>();
    if (!joined.has(auctionId) && joined.size >= MAX_SUBSCRIPTIONS_PER_SOCKET) {
      return { event: 'error', data: { message: `at most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions per connection` } };
    }

    // The socket is registered before the snapshot is read, so a transition committed meanwhile is
    // not lost. Its event is held until the snapshot is sent, so the client sees the newest state last.
    const newlyJoined = !joined.has(auctionId);
    this.addSubscriber(auctionId, socket, joined);
    const held = this.hold(socket, auctionId);
    try {
      const snapshot = await this.snapshot(auctionId);
      this.send(socket, JSON.stringify({ event: 'subscribed', data: snapshot }), 'subscribed', auctionId);
      held.forEach((message) => this.send(socket, message, 'held event', auctionId));
      return undefined;
    } catch (error) {
      if (newlyJoined) {
        this.removeSubscriber(auctionId, socket);
        joined.delete(auctionId);
      }
      if (error instanceof NotFoundError) {
        return { event: 'error', data: { message: error.message } };
      }
      throw error;
    } finally {
      this.release(socket, auctionId);
    }
  }

  @SubscribeMessage('unsubscribe')
  unsubscribe(@ConnectedSocket() socket: WebSocket, @MessageBody() body: unknown) {
    const auctionId = readAuctionId(body);
    if (auctionId !== null) {
      this.removeSubscriber(auctionId, socket);
      this.socketAuctions.get(socket)?.delete(auctionId);
    }
    return { event: 'unsubscribed', data: { auctionId } };
  }

  private async snapshot(auctionId: string) {
    const auction = await this.auctions.get(auctionId);
    const result = auction.state === 'settled' ? await this.results.get(auctionId) : null;
    return { auctionId, state: auction.state, reason: auction.stateReason, sealedBids: auction.sealedBids, result };
  }

  private broadcast(event: AuctionEvent): void {
    const sockets = this.subscribers.get(event.auctionId);
    if (sockets === undefined) {
      return;
    }
    const { type, ...data } = event;
    const message = JSON.stringify({ event: type, data });
    for (const socket of sockets) {
      const held = this.holding.get(socket)?.get(event.auctionId);
      if (held === undefined) {
        this.send(socket, message, type, event.auctionId);
      } else {
        held.push(message);
      }
    }
  }

  private hold(socket: WebSocket, auctionId: string): string[] {
    const held: string[] = [];
    const bySocket = this.holding.get(socket) ?? new Map<string, string[]>();
    bySocket.set(auctionId, held);
    this.holding.set(socket, bySocket);
    return held;
  }

  private release(socket: WebSocket, auctionId: string): void {
    const bySocket = this.holding.get(socket);
    bySocket?.delete(auctionId);
    if (bySocket?.size === 0) {
      this.holding.delete(socket);
    }
  }

  private send(socket: WebSocket, message: string, label: string, auctionId: string): void {
    if (socket.readyState !== socket.OPEN) {
      return;
    }
    socket.send(message, (error) => {
      if (error) {
        this.logger.warn(`${label} for auction ${auctionId} not delivered: ${error.message}`);
      }
    });
  }

  private addSubscriber(auctionId: string, socket: WebSocket, joined: Set<string>): void {
    joined.add(auctionId);
    this.socketAuctions.set(socket, joined);
    const sockets = this.subscribers.get(auctionId) ?? new Set<WebSocket>();
    sockets.add(socket);
    this.subscribers.set(auctionId, sockets);
  }

  private removeSubscriber(auctionId: string, socket: WebSocket): void {
    const sockets = this.subscribers.get(auctionId);
    sockets?.delete(socket);
    if (sockets?.size === 0) {
      this.subscribers.delete(auctionId);
    }
  }
}

function readAuctionId(body: unknown): string | null {
  const auctionId = (body as { auctionId?: unknown } | null)?.auctionId;
  return typeof auctionId === 'string' && UUID.test(auctionId) ? auctionId : null;
}

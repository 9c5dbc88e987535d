/**
 * Live events of one auction over the orchestrator's WebSocket, reconnecting
 * after a dropped connection. Each new connection starts with a snapshot, so
 * nothing missed while disconnected stays missing.
 */
import { watchAuction, type AuctionEventMessage } from '../client/events.js';
import type { AuctionState, ResultInfo } from '../client/types.js';
import { ORCHESTRATOR_URL } from './public-api.js';

/** The state of the connection, for the page to show. */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'failed';

/** Snapshot of the auction that a new subscription receives first. */
export interface LiveSnapshot {
  state: AuctionState;
  reason: string | null;
  sealedBids: number;
  result: ResultInfo | null;
}

/** A committed lifecycle transition. */
export interface LiveStateChange {
  state: AuctionState;
  reason: string | null;
  at: string;
}

/** Callbacks for the events of one auction. */
export interface LiveHandlers {
  onSnapshot(snapshot: LiveSnapshot): void;
  onState(change: LiveStateChange): void;
  onBids(count: number): void;
  onResult(result: ResultInfo): void;
  onStatus(status: LiveStatus, detail?: string): void;
}

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 15_000;

/** Subscribes to an auction's events until stop() is called. */
export class LiveAuction {
  private close: (() => void) | null = null;
  private stopped = false;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: number | undefined;

  constructor(
    private readonly auctionId: string,
    private readonly handlers: LiveHandlers,
  ) {}

  /** Opens the connection. */
  start(): void {
    this.handlers.onStatus('connecting');
    this.connect();
  }

  /** Closes the connection and stops reconnecting. */
  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.retryTimer);
    this.close?.();
  }

  private connect(): void {
    this.close = watchAuction({
      baseUrl: ORCHESTRATOR_URL,
      auctionId: this.auctionId,
      onEvent: (message) => this.dispatch(message),
      onClose: () => this.scheduleReconnect(),
    });
  }

  private scheduleReconnect(): void {
    if (this.stopped) {
      return;
    }
    this.handlers.onStatus('reconnecting', `next attempt in ${Math.round(this.retryMs / 1000)} s`);
    this.retryTimer = window.setTimeout(() => this.connect(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
  }

  private dispatch(message: AuctionEventMessage): void {
    const data: unknown = message.data;
    switch (message.event) {
      case 'subscribed':
        this.retryMs = FIRST_RETRY_MS;
        this.handlers.onStatus('live');
        this.handlers.onSnapshot(data as LiveSnapshot);
        break;
      case 'state':
        this.handlers.onState(data as LiveStateChange);
        break;
      case 'bids':
        this.handlers.onBids((data as { count: number }).count);
        break;
      case 'result':
        this.handlers.onResult((data as { result: ResultInfo }).result);
        break;
      case 'error':
        this.handlers.onStatus('failed', String((message.data as { message?: unknown }).message ?? 'subscription rejected'));
        break;
    }
  }
}

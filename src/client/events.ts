/** Live auction events over the orchestrator's WebSocket endpoint (/v1/events). */

/** A message pushed by the orchestrator. */
export interface AuctionEventMessage {
  event: 'subscribed' | 'state' | 'bids' | 'result' | 'error' | 'unsubscribed';
  data: Record<string, unknown>;
}

/** The WebSocket constructor to use; browsers and Node 22 have a global one, older Node can pass the ws package's. */
export type WebSocketConstructor = new (url: string) => {
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  send(data: string): void;
  close(): void;
};

export interface WatchOptions {
  /** Orchestrator base URL (http or https); the WebSocket URL is derived from it. */
  baseUrl: string;
  auctionId: string;
  onEvent: (message: AuctionEventMessage) => void;
  onError?: (error: Error) => void;
  /** Called once when the connection ends, whether the server or the returned function closed it. */
  onClose?: () => void;
  WebSocket?: WebSocketConstructor;
}

/**
 * Subscribes to one auction's events and returns a function that closes the connection.
 * @throws Error when no WebSocket implementation is available.
 */
export function watchAuction(options: WatchOptions): () => void {
  const Socket = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (Socket === undefined) {
    throw new Error('no WebSocket implementation: pass one in options.WebSocket (for example the ws package)');
  }
  const url = `${options.baseUrl.replace(/\/+$/, '').replace(/^http/, 'ws')}/v1/events`;
  const socket = new Socket(url);

  socket.onopen = () => socket.send(JSON.stringify({ event: 'subscribe', data: { auctionId: options.auctionId } }));
  socket.onmessage = (event) => {
    try {
      options.onEvent(JSON.parse(String(event.data)) as AuctionEventMessage);
    } catch (error) {
      options.onError?.(error as Error);
    }
  };
  socket.onerror = () => options.onError?.(new Error(`WebSocket connection to ${url} failed`));
  socket.onclose = () => options.onClose?.();
  return () => socket.close();
}

/** A final lifecycle state and its reason, as the event stream reports it. */
export interface FinalState {
  state: 'settled' | 'failed' | 'cancelled';
  reason: string | null;
}

export interface WatchUntilFinalOptions {
  baseUrl: string;
  auctionId: string;
  /** How long to wait for a final state, in milliseconds. */
  timeoutMs: number;
  WebSocket?: WebSocketConstructor;
}

const FINAL_STATES = new Set(['settled', 'failed', 'cancelled']);

/**
 * Subscribes to an auction's events and resolves with its first final state
 * (settled, failed or cancelled). The subscription's snapshot covers an
 * auction that ended before the subscription started, so a caller may
 * subscribe before or after closing it. stop() ends the wait with an error.
 * The promise rejects when the subscription fails, the connection closes
 * first, or timeoutMs passes.
 */
export function watchUntilFinal(options: WatchUntilFinalOptions): { state: Promise<FinalState>; stop: () => void } {
  const { auctionId } = options;
  let stop = (): void => {};
  const state = new Promise<FinalState>((resolve, reject) => {
    let done = false;
    const finish = (outcome: FinalState | Error): void => {
      if (done) {
        return;
      }
      done = true;
      clearTimeout(timer);
      close();
      if (outcome instanceof Error) {
        reject(outcome);
      } else {
        resolve(outcome);
      }
    };
    const timer = setTimeout(() => finish(new Error(`auction ${auctionId} did not finish within ${options.timeoutMs} ms`)), options.timeoutMs);
    const close = watchAuction({
      baseUrl: options.baseUrl,
      auctionId,
      WebSocket: options.WebSocket,
      onEvent: (message) => {
        const final = finalStateOf(message);
        if (final !== null) {
          finish(final);
        }
      },
      onError: (error) => finish(error),
      onClose: () => finish(new Error(`the event connection for auction ${auctionId} closed before the auction finished`)),
    });
    stop = () => finish(new Error(`stopped watching auction ${auctionId}`));
  });
  // A caller that stops watching has given up on the outcome, so the rejection needs no handler.
  state.catch(() => undefined);
  return { state, stop };
}

function finalStateOf(message: AuctionEventMessage): FinalState | null {
  if (message.event === 'error') {
    return { state: 'failed', reason: `event subscription failed: ${String(message.data.message)}` };
  }
  if (message.event !== 'subscribed' && message.event !== 'state') {
    return null;
  }
  const state = String(message.data.state);
  return FINAL_STATES.has(state) ? { state: state as FinalState['state'], reason: (message.data.reason as string | null) ?? null } : null;
}

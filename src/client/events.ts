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

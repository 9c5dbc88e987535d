/**
 * A TCP proxy on 127.0.0.1 that adds a fixed one-way delay to every chunk in
 * both directions, to stand in for a wide-area link between two evaluators.
 * Chunks keep their order because timers of equal duration fire in the
 * order they were set. Bandwidth is not limited and the kernel's loopback
 * latency comes on top of the delay.
 */
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

/** A listening proxy. Set targetPort before the first connection arrives; change delayMs only while the link is idle. */
export interface DelayProxy {
  port: number;
  targetPort: number | null;
  delayMs: number;
  close(): Promise<void>;
}

/**
 * Listens on a free port and forwards every connection to proxy.targetPort,
 * delaying each chunk by proxy.delayMs in each direction. A connection that
 * arrives while targetPort is null is closed.
 * @throws RangeError for a negative or non-integer delay.
 */
export async function startDelayProxy(delayMs: number): Promise<DelayProxy> {
  if (!Number.isInteger(delayMs) || delayMs < 0) {
    throw new RangeError(`delayMs must be a whole number of milliseconds >= 0, got ${delayMs}`);
  }
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => forward(inbound, proxy, sockets));
  const proxy: DelayProxy = {
    port: 0,
    targetPort: null,
    delayMs,
    close: () =>
      new Promise((resolve) => {
        sockets.forEach((socket) => socket.destroy());
        server.close(() => resolve());
      }),
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.port = (server.address() as AddressInfo).port;
  return proxy;
}

function forward(inbound: Socket, proxy: DelayProxy, sockets: Set<Socket>): void {
  if (proxy.targetPort === null) {
    inbound.destroy();
    return;
  }
  const outbound = connect(proxy.targetPort, '127.0.0.1');
  for (const socket of [inbound, outbound]) {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {
      inbound.destroy();
      outbound.destroy();
    });
  }
  relay(inbound, outbound, proxy);
  relay(outbound, inbound, proxy);
}

// NOTE: lowering delayMs while data is in flight could reorder chunks; the benchmark changes it only between cases.
function relay(from: Socket, to: Socket, proxy: DelayProxy): void {
  from.on('data', (chunk) => {
    setTimeout(() => {
      if (!to.destroyed) {
        to.write(chunk);
      }
    }, proxy.delayMs);
  });
  // The end is delayed too, so it cannot overtake data still in flight.
  from.on('end', () => setTimeout(() => to.end(), proxy.delayMs));
}

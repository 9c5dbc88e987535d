/** Checks of the messages a client sends to the event stream, before Nest routes them. */

/** The events a client may send. */
export const CLIENT_EVENTS = ['subscribe', 'unsubscribe'] as const;

const EXAMPLE = '{"event":"subscribe","data":{"auctionId":"<auction id>"}}';

/**
 * Returns what is wrong with a client message, or null for a message with a
 * known event, which its handler checks further. Nest drops the others
 * silently, so the gateway sends this text back in an error event.
 */
export function eventMessageProblem(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): string | null {
  if (isBinary) {
    return `send text messages such as ${EXAMPLE}, not binary ones`;
  }
  let message: unknown;
  try {
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(toBuffers(data)).toString('utf8');
    message = JSON.parse(text);
  } catch {
    return `a message must be JSON such as ${EXAMPLE}`;
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return `a message must be a JSON object such as ${EXAMPLE}`;
  }
  const event = (message as { event?: unknown }).event;
  if (typeof event !== 'string' || !(CLIENT_EVENTS as readonly string[]).includes(event)) {
    return `unknown event ${JSON.stringify(event ?? null)}: send "subscribe" or "unsubscribe", as in ${EXAMPLE}`;
  }
  return null;
}

function toBuffers(data: ArrayBuffer | Buffer[]): Buffer[] {
  return Array.isArray(data) ? data : [Buffer.from(data)];
}

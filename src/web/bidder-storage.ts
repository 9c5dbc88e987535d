/**
 * Data this browser keeps for a bidder, in localStorage under this origin.
 * It stores the bidder token of each auction. For each sealed bid it stores
 * the envelope hashes its receipts must name and, under amount-only
 * disclosure, the key that opens its won bit. The bid amount is never stored.
 */

/** A bid sealed in this browser, as far as later checks need it. */
export interface StoredBid {
  submissionId: string;
  /** Envelope hash per evaluator, from receipts that verified at submission. */
  hashes: Array<{ evaluator: number; hash: string }>;
  /** X25519 secret key (base64url) that opens the won bit, or null. */
  wonBitSecretKey: string | null;
  submittedAt: string;
}

/** Format of bidder tokens, as the orchestrator accepts them in an Authorization header. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,200}$/;

const PREFIX = 'sealbid';

// Kept as well in memory, so a browser that blocks storage still works until the page closes.
const memory = new Map<string, string>();

/**
 * Takes a token from the address fragment (#token=...), stores it for the
 * auction and removes it from the address bar and history, so it is not
 * bookmarked or shared by accident. Returns the token, 'invalid' for a
 * fragment token of the wrong format, or null when there is none.
 */
export function takeTokenFromFragment(auctionId: string): string | 'invalid' | null {
  const fragment = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const token = fragment.get('token');
  if (token === null) {
    return null;
  }
  history.replaceState(history.state, '', window.location.pathname + window.location.search);
  if (!TOKEN_PATTERN.test(token)) {
    return 'invalid';
  }
  saveToken(auctionId, token);
  return token;
}

/** Returns the stored bidder token for the auction, or null. */
export function loadToken(auctionId: string): string | null {
  return read(`${PREFIX}:token:${auctionId}`);
}

/** Stores the bidder token for the auction; returns false when the browser blocks storage. */
export function saveToken(auctionId: string, token: string): boolean {
  return write(`${PREFIX}:token:${auctionId}`, token);
}

/** Removes the bidder token of the auction from this browser. */
export function forgetToken(auctionId: string): void {
  const key = `${PREFIX}:token:${auctionId}`;
  memory.delete(key);
  try {
    window.localStorage.removeItem(key);
  } catch {
    // Storage is blocked, so nothing was stored there.
  }
}

/** Stores what later checks need about a bid sealed in this browser; returns false when storage is blocked. */
export function saveBid(auctionId: string, bid: StoredBid): boolean {
  return write(`${PREFIX}:bid:${auctionId}:${bid.submissionId}`, JSON.stringify(bid));
}

/** Returns a bid sealed in this browser, or null when it was sealed elsewhere or storage was cleared. */
export function loadBid(auctionId: string, submissionId: string): StoredBid | null {
  const text = read(`${PREFIX}:bid:${auctionId}:${submissionId}`);
  if (text === null) {
    return null;
  }
  try {
    return JSON.parse(text) as StoredBid;
  } catch {
    return null;
  }
}

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key) ?? memory.get(key) ?? null;
  } catch {
    return memory.get(key) ?? null;
  }
}

function write(key: string, value: string): boolean {
  memory.set(key, value);
  try {
    window.localStorage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

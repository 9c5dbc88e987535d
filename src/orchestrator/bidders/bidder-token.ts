/** Bidder tokens: random bearer secrets of which only a SHA-256 hash is stored. */
import { createHash, randomBytes } from 'node:crypto';

const TOKEN_PREFIX = 'sbt_';

/** Creates a fresh token with 256 bits of randomness. */
export function createBidderToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** Returns the hex SHA-256 of a token, the form in which it is stored and looked up. */
export function hashBidderToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

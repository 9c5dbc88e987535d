/**
 * Opening transcripts: what one evaluator received in every opening of a
 * run, signed. When an opening is inconsistent, the orchestrator combines the
 * transcripts of all evaluators and names the evaluator that sent a wrong
 * share where they allow it.
 *
 * A transcript holds no share. Each digest is an HMAC-SHA256 of one party's
 * opening values under a salt that the evaluators draw jointly during the
 * submission set agreement and never send to the orchestrator. Opening values
 * are field elements of 26 bits, so a plain hash could be inverted by trying
 * every value; the salt prevents that. Two digests of the same run and round
 * are equal exactly when the values are equal.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

import { canonicalMessage } from './canonical.js';
import { signStatement, verifyStatement } from './signing.js';

const TRANSCRIPT_DOMAIN = 'sealbid/opening-transcript/v1';
const DIGEST_DOMAIN = 'sealbid/opening-digest/v1';

/** One opening round as one evaluator saw it. */
export interface OpeningRecord {
  /** Protocol round of the opening. */
  round: number;
  /** Whether the n opened share vectors lay on one polynomial of degree t at this evaluator. */
  consistent: boolean;
  /** Salted digest of the values received from each party (own values included), in party order. */
  digests: string[];
}

/** Statement an evaluator signs about the openings it took part in. */
export interface OpeningTranscript {
  auctionId: string;
  runId: string;
  /** Index (1 to n) of the signing evaluator. */
  evaluator: number;
  openings: OpeningRecord[];
}

/**
 * Computes the salted digest of one party's values in one opening round.
 * @throws TypeError when the salt is not 32 bytes.
 */
export function openingDigest(salt: Uint8Array, runId: string, round: number, party: number, values: Uint32Array): string {
  if (!(salt instanceof Uint8Array) || salt.length !== 32) {
    throw new TypeError('opening digest salt must be 32 bytes');
  }
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((value, index) => view.setUint32(4 * index, value, true));
  const message = canonicalMessage(DIGEST_DOMAIN, { runId, round, party, values: bytes });
  bytes.fill(0);
  return bytesToHex(hmac(sha256, salt, message));
}

/**
 * Derives the digest salt of a run from every evaluator's random salt share, in party order.
 * @throws TypeError when a share is not 32 bytes.
 */
export function openingSalt(runId: string, shares: Uint8Array[]): Uint8Array {
  for (const share of shares) {
    if (!(share instanceof Uint8Array) || share.length !== 32) {
      throw new TypeError('every opening salt share must be 32 bytes');
    }
  }
  return sha256(canonicalMessage('sealbid/opening-salt/v1', { runId, shares }));
}

/** Signs an opening transcript. @throws TypeError as signStatement does. */
export function signOpeningTranscript(transcript: OpeningTranscript, secretKey: Uint8Array): string {
  return signStatement(TRANSCRIPT_DOMAIN, transcriptFields(transcript), secretKey);
}

/** Checks a transcript signature, returning false for any mismatch or malformed input. */
export function verifyOpeningTranscript(transcript: OpeningTranscript, signature: string, publicKey: Uint8Array): boolean {
  try {
    return verifyStatement(TRANSCRIPT_DOMAIN, transcriptFields(transcript), signature, publicKey);
  } catch {
    return false;
  }
}

// Picking fields explicitly keeps stray properties out of the signed bytes.
function transcriptFields(transcript: OpeningTranscript) {
  return {
    auctionId: transcript.auctionId,
    runId: transcript.runId,
    evaluator: transcript.evaluator,
    openings: transcript.openings.map((record) => ({
      round: record.round,
      consistent: record.consistent,
      digests: [...record.digests],
    })),
  };
}

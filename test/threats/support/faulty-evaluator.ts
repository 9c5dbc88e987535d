/**
 * Test-only preload (node --import, after scripts/register-ts.mjs) that makes
 * a real evaluator process misbehave. SEALBID_TEST_FAULT chooses how:
 *
 * - slow-rounds: delays every protocol message it sends by
 *   SEALBID_TEST_SEND_DELAY_MS (default 100), so that runs last long enough
 *   to be interrupted;
 * - file:PATH: reads the fault from the file PATH whenever it matters, so a
 *   test can change it between auctions. An empty file means no fault.
 *   wrong-opening-share adds 1 to the first value of every opening share it
 *   sends, to every peer alike. wrong-opening-share-to-1 does so only in
 *   what it sends to party 1. wrong-result signs an outcome whose price is
 *   one minor unit higher.
 *
 * It patches class prototypes of the evaluator, which the application then
 * uses unchanged, so the rest of the process is the real evaluator.
 */
import { readFileSync } from 'node:fs';

import { P, type PartyAuctionResult, type ProtocolMessage } from '../../../src/mpc/index.js';
import { RunExecutor } from '../../../src/evaluator/compute/run-executor.js';
import { PeerTransport } from '../../../src/evaluator/peers/peer-transport.js';

type Send = (this: PeerTransport, message: ProtocolMessage) => void;

const fault = process.env.SEALBID_TEST_FAULT ?? '';
const originalSend: Send = PeerTransport.prototype.send;

/** Returns the fault the test set in the fault file; an unreadable file means none. */
function currentFault(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

function corrupt(message: ProtocolMessage): ProtocolMessage {
  const payload = Uint32Array.from(message.payload);
  if (payload.length > 0) {
    payload[0] = (payload[0] + 1) % P;
  }
  return { ...message, payload };
}

function patchFromFile(path: string): void {
  PeerTransport.prototype.send = function send(this: PeerTransport, message: ProtocolMessage): void {
    if (message.operation !== 'open') {
      originalSend.call(this, message);
      return;
    }
    const now = currentFault(path);
    const target = now === 'wrong-opening-share' || (now === 'wrong-opening-share-to-1' && message.to === 1);
    originalSend.call(this, target ? corrupt(message) : message);
  };

  const prototype = RunExecutor.prototype as unknown as { complete: (...args: unknown[]) => Promise<void> };
  const complete = prototype.complete;
  prototype.complete = function patched(this: RunExecutor, ...args: unknown[]): Promise<void> {
    if (currentFault(path) === 'wrong-result') {
      const result = args[3] as PartyAuctionResult;
      const price = result.outcome.price;
      args[3] = { ...result, outcome: { ...result.outcome, price: price === null ? 1n : price + 1n } };
    }
    return complete.apply(this, args);
  };
}

function patchDelay(): void {
  const delayMs = Number(process.env.SEALBID_TEST_SEND_DELAY_MS ?? '100');
  PeerTransport.prototype.send = function send(this: PeerTransport, message: ProtocolMessage): void {
    setTimeout(() => {
      try {
        originalSend.call(this, message);
      } catch {
        // A peer lost while the message waited: the runtime times the round out or the run is aborted.
      }
    }, delayMs);
  };
}

if (fault === 'slow-rounds') {
  patchDelay();
} else if (fault.startsWith('file:')) {
  patchFromFile(fault.slice('file:'.length));
} else {
  throw new Error(`SEALBID_TEST_FAULT must be slow-rounds or file:PATH, got "${fault}"`);
}

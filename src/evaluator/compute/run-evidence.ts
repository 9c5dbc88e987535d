/**
 * Evidence a finished run leaves besides its result: the failure code, from
 * which the orchestrator decides whether a new run may succeed, and the
 * signed opening transcript, from which it attributes an inconsistent opening.
 */
import { signOpeningTranscript, type OpeningTranscript } from '../../crypto/index.js';
import { ProtocolAbortError } from '../../mpc/index.js';
import { PeerUnavailableError } from '../peers/peer-network.js';
import type { OpeningRecorder } from './opening-recorder.js';
import { RunFailure } from './run-failure.js';

/** An opening transcript with this evaluator's signature, as stored on the run and returned by the API. */
export interface SignedOpeningTranscript {
  statement: OpeningTranscript;
  signature: string;
}

/**
 * Stops the recorder and signs what it saw. Returns null when the run never
 * reached the computation, because without the jointly drawn salt there is
 * nothing to digest.
 */
export function signTranscript(
  recorder: OpeningRecorder,
  run: { auctionId: string; runId: string; evaluator: number },
  signingKey: Uint8Array,
): SignedOpeningTranscript | null {
  const openings = recorder.stop();
  if (!recorder.started) {
    return null;
  }
  const statement: OpeningTranscript = { ...run, openings };
  return { statement, signature: signOpeningTranscript(statement, signingKey) };
}

/**
 * Maps an error of a run to a failure with a stable code. An opening that
 * this evaluator saw as inconsistent wins over the error that stopped the
 * run, such as a peer's abort notice that arrived first.
 */
export function toRunFailure(error: unknown, recorder: OpeningRecorder): RunFailure {
  const inconsistent = recorder.firstInconsistent();
  if (inconsistent !== undefined) {
    return new RunFailure(
      'opening-inconsistent',
      `the shares opened in round ${inconsistent.round} do not lie on one polynomial of degree t: an evaluator sent a wrong share, ` +
        'so no value is returned; the signed opening transcript records what this evaluator received',
    );
  }
  if (error instanceof RunFailure) {
    return error;
  }
  if (error instanceof PeerUnavailableError) {
    return new RunFailure('peer-disconnected', error.message);
  }
  if (error instanceof ProtocolAbortError) {
    // The runtime words its round timeout this way and names the missing parties.
    const code = / timed out after \d+ ms in round /.test(error.message) ? 'round-timeout' : 'protocol-aborted';
    return new RunFailure(code, error.message);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new RunFailure('computation-failed', message);
}

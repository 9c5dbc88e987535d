/** Why a run failed: a stable code for the API and a message without secrets. */
export class RunFailure extends Error {
  override readonly name = 'RunFailure';

  constructor(
    readonly code: RunFailureCode,
    message: string,
  ) {
    super(message);
  }
}

export type RunFailureCode =
  | 'submission-set-mismatch'
  | 'invalid-agreement-signature'
  | 'agreement-timeout'
  | 'peer-disconnected'
  | 'peer-failed'
  | 'protocol-aborted'
  | 'round-timeout'
  | 'opening-inconsistent'
  | 'evaluator-restarted'
  | 'computation-failed';

/**
 * Message passing between the parties of one protocol run.
 *
 * Every message carries the run id, the round number and the name of the
 * operation, so the receiving runtime detects a lost, duplicated, replayed or
 * reordered message instead of misreading it. Payloads are vectors of field
 * elements in [0, p).
 */

/** One party's batch of field elements for one peer in one round. */
export interface ProtocolMessage {
  runId: string;
  round: number;
  operation: string;
  from: number;
  to: number;
  payload: Uint32Array;
}

/** Receives the messages addressed to one party in one run. */
export type MessageReceiver = (message: ProtocolMessage) => void;

/**
 * A channel from one party to its peers. Implementations must deliver each
 * message at most once to the receiver registered for its run id; they may
 * reorder messages. Authentication and confidentiality of the channel are the
 * implementation's job (the in-memory network for tests has neither).
 */
export interface Transport {
  send(message: ProtocolMessage): void;

  /** Registers the receiver for runId and returns a function that removes it. */
  listen(runId: string, receiver: MessageReceiver): () => void;
}

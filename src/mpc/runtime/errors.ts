/** A protocol run stopped: a message was missing, out of order or inconsistent. No output is returned. */
export class ProtocolAbortError extends Error {
  override readonly name = 'ProtocolAbortError';
}

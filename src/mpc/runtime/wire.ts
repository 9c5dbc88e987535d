import type { ProtocolMessage } from './transport.js';

/**
 * Binary encoding of a protocol message for network transports:
 * version (u8), from (u8), to (u8), round (u32), run id length (u16) and
 * UTF-8 bytes, operation length (u16) and UTF-8 bytes, payload length (u32)
 * and payload as little-endian u32 words. All integers are little-endian.
 */
const WIRE_VERSION = 1;
const MAX_NAME_BYTES = 256;

/** On a little-endian platform the payload words are copied as bytes, not word by word. */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * Encodes a message into bytes for a network transport.
 * @throws RangeError when a party number, the round or a name does not fit its field.
 */
export function encodeMessage(message: ProtocolMessage): Uint8Array {
  checkHeaderValue('from', message.from, 0xff);
  checkHeaderValue('to', message.to, 0xff);
  checkHeaderValue('round', message.round, 0xffffffff);
  const runId = new TextEncoder().encode(message.runId);
  const operation = new TextEncoder().encode(message.operation);
  const headerBytes = 1 + 1 + 1 + 4 + 2 + runId.length + 2 + operation.length + 4;
  const bytes = new Uint8Array(headerBytes + message.payload.length * 4);
  const view = new DataView(bytes.buffer);
  let offset = 0;

  view.setUint8(offset++, WIRE_VERSION);
  view.setUint8(offset++, message.from);
  view.setUint8(offset++, message.to);
  view.setUint32(offset, message.round, true);
  offset += 4;
  offset = writeName(bytes, view, offset, runId);
  offset = writeName(bytes, view, offset, operation);
  view.setUint32(offset, message.payload.length, true);
  offset += 4;

  const { payload } = message;
  if (LITTLE_ENDIAN) {
    bytes.set(new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength), offset);
    return bytes;
  }
  for (let i = 0; i < payload.length; i++) {
    view.setUint32(offset + 4 * i, payload[i], true);
  }
  return bytes;
}

/**
 * Decodes bytes produced by encodeMessage.
 * @throws Error naming the malformed part when the bytes are not a valid message.
 */
export function decodeMessage(bytes: Uint8Array): ProtocolMessage {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const reader = { offset: 0 };
  const need = (count: number, what: string): void => {
    if (reader.offset + count > bytes.length) {
      throw new Error(`invalid protocol message: truncated at ${what}`);
    }
  };

  need(7, 'header');
  const version = view.getUint8(0);
  if (version !== WIRE_VERSION) {
    throw new Error(`invalid protocol message: expected wire version ${WIRE_VERSION}, got ${version}`);
  }
  const from = view.getUint8(1);
  const to = view.getUint8(2);
  const round = view.getUint32(3, true);
  reader.offset = 7;
  const runId = readName(bytes, view, reader, 'run id', need);
  const operation = readName(bytes, view, reader, 'operation', need);

  need(4, 'payload length');
  const length = view.getUint32(reader.offset, true);
  reader.offset += 4;
  if (bytes.length - reader.offset !== length * 4) {
    throw new Error(
      `invalid protocol message: payload of ${length} words needs ${length * 4} bytes, got ${bytes.length - reader.offset}`,
    );
  }
  const payload = new Uint32Array(length);
  if (LITTLE_ENDIAN) {
    new Uint8Array(payload.buffer).set(bytes.subarray(reader.offset));
  } else {
    for (let i = 0; i < length; i++) {
      payload[i] = view.getUint32(reader.offset + 4 * i, true);
    }
  }
  return { runId, round, operation, from, to, payload };
}

function checkHeaderValue(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`protocol message ${name} must be an integer from 0 to ${max}, got ${value}`);
  }
}

function writeName(bytes: Uint8Array, view: DataView, offset: number, name: Uint8Array): number {
  if (name.length > MAX_NAME_BYTES) {
    throw new Error(`protocol message name has ${name.length} bytes, at most ${MAX_NAME_BYTES} allowed`);
  }
  view.setUint16(offset, name.length, true);
  bytes.set(name, offset + 2);
  return offset + 2 + name.length;
}

function readName(
  bytes: Uint8Array,
  view: DataView,
  reader: { offset: number },
  what: string,
  need: (count: number, what: string) => void,
): string {
  need(2, `${what} length`);
  const length = view.getUint16(reader.offset, true);
  reader.offset += 2;
  if (length > MAX_NAME_BYTES) {
    throw new Error(`invalid protocol message: ${what} has ${length} bytes, at most ${MAX_NAME_BYTES} allowed`);
  }
  need(length, what);
  const name = new TextDecoder().decode(bytes.subarray(reader.offset, reader.offset + length));
  reader.offset += length;
  return name;
}

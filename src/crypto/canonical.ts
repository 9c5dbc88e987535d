/**
 * Canonical, domain-separated byte encoding of structured values.
 *
 * Everything that is signed, hashed or bound as associated data goes through
 * this encoding so that two parties who hold the same value produce the same
 * bytes, and no two different values (or domains) share an encoding. Each
 * value is a one-byte type tag followed by its content. Strings, byte strings
 * and integers written as decimal text carry a 32-bit big-endian length
 * prefix, arrays and objects a 32-bit item count. Object keys are sorted by
 * UTF-16 code unit order, so key order in the source object does not matter.
 */

import { createSha256 } from './digest.js';

/** A value that the canonical encoding accepts. */
export type CanonicalValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | Uint8Array
  | readonly CanonicalValue[]
  | { readonly [key: string]: CanonicalValue };

const TAG_STRING = 0x73; // 's'
const TAG_INTEGER = 0x69; // 'i'
const TAG_TRUE = 0x74; // 't'
const TAG_FALSE = 0x66; // 'f'
const TAG_NULL = 0x7a; // 'z'
const TAG_BYTES = 0x79; // 'y'
const TAG_ARRAY = 0x61; // 'a'
const TAG_OBJECT = 0x6f; // 'o'

const DOMAIN_PATTERN = /^[a-z0-9][a-z0-9./-]{0,127}$/;
const SINK_BUFFER_BYTES = 64 * 1024;
const encoder = new TextEncoder();

/**
 * Encodes a value under a domain label, such as 'sealbid/receipt/v1'.
 * The domain is written first, so a signature over one kind of message can
 * never be replayed as another kind.
 * @throws TypeError when the domain is not a lowercase label or the value contains
 *   something without a canonical form (undefined, a fraction, a function).
 */
export function canonicalMessage(domain: string, value: CanonicalValue): Uint8Array {
  checkDomain(domain);
  const writer = new ByteWriter();
  writer.text(domain);
  encodeInto(writer, value);
  return writer.finish();
}

function checkDomain(domain: string): void {
  if (!DOMAIN_PATTERN.test(domain)) {
    throw new TypeError(`invalid domain label ${JSON.stringify(domain)}: use lowercase letters, digits, '.', '/' and '-'`);
  }
}

/**
 * Returns the lowercase hex SHA-256 of canonicalMessage(domain, value). The
 * encoding streams into the hash through a 64 KB buffer, so a submission set
 * of 100,000 bids (about 33 MB encoded) is never held whole.
 * @throws TypeError as canonicalMessage does.
 */
export function canonicalDigestHex(domain: string, value: CanonicalValue): string {
  checkDomain(domain);
  const hash = createSha256();
  const writer = new ByteWriter((part) => hash.update(part));
  writer.text(domain);
  encodeInto(writer, value);
  writer.flush();
  return hash.hex();
}

/**
 * Encodes a value without a domain label.
 * @throws TypeError as canonicalMessage does.
 */
export function canonicalEncode(value: CanonicalValue): Uint8Array {
  const writer = new ByteWriter();
  encodeInto(writer, value);
  return writer.finish();
}

function encodeInto(writer: ByteWriter, value: CanonicalValue): void {
  try {
    writeValue(writer, value);
  } catch (error) {
    if (error instanceof EncodeError) {
      throw new TypeError(`${error.problem} at $${error.path.reverse().join('')}${error.advice}`);
    }
    throw error;
  }
}

/**
 * A value without a canonical form. The path is collected while the error
 * unwinds, innermost step first, so encoding builds no path strings.
 */
class EncodeError extends Error {
  readonly path: string[] = [];

  constructor(
    readonly problem: string,
    readonly advice: string,
  ) {
    super(problem);
  }
}

function writeValue(writer: ByteWriter, value: CanonicalValue): void {
  if (value === null) {
    writer.byte(TAG_NULL);
  } else if (typeof value === 'string') {
    writer.byte(TAG_STRING);
    writer.text(value);
  } else if (typeof value === 'boolean') {
    writer.byte(value ? TAG_TRUE : TAG_FALSE);
  } else if (typeof value === 'number' || typeof value === 'bigint') {
    writeInteger(writer, value);
  } else if (value instanceof Uint8Array) {
    writer.byte(TAG_BYTES);
    writer.lengthPrefixed(value);
  } else if (Array.isArray(value)) {
    writeArray(writer, value as readonly CanonicalValue[]);
  } else if (typeof value === 'object') {
    writeObject(writer, value as { readonly [key: string]: CanonicalValue });
  } else {
    throw new EncodeError(`cannot encode ${typeof value}`, ': expected string, integer, boolean, null, bytes, array or object');
  }
}

// Numbers and bigints share one tag, so 5 and 5n encode the same way.
function writeInteger(writer: ByteWriter, value: number | bigint): void {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new EncodeError(`cannot encode number ${value}`, ': expected a safe integer (use a bigint or a string)');
  }
  writer.byte(TAG_INTEGER);
  writer.text(value.toString(10));
}

function writeArray(writer: ByteWriter, items: readonly CanonicalValue[]): void {
  writer.byte(TAG_ARRAY);
  writer.uint32(items.length);

  for (let index = 0; index < items.length; index++) {
    try {
      writeValue(writer, items[index]);
    } catch (error) {
      throw withStep(error, `[${index}]`);
    }
  }
}

function writeObject(writer: ByteWriter, object: { readonly [key: string]: CanonicalValue }): void {
  const keys = Object.keys(object).sort();
  writer.byte(TAG_OBJECT);
  writer.uint32(keys.length);

  for (const key of keys) {
    const item = object[key];
    if (item === undefined) {
      throw withStep(new EncodeError('cannot encode undefined', ': omit the key or use null'), `.${key}`);
    }
    writer.text(key);
    try {
      writeValue(writer, item);
    } catch (error) {
      throw withStep(error, `.${key}`);
    }
  }
}

function withStep(error: unknown, step: string): unknown {
  if (error instanceof EncodeError) {
    error.path.push(step);
  }
  return error;
}

/**
 * Byte buffer with big-endian length prefixes, written in place. Without a
 * sink it grows to hold the whole encoding. With one, it hands its content
 * to the sink whenever it is full, and grows only for a single longer item.
 */
class ByteWriter {
  private buffer: Uint8Array;
  private view: DataView;
  private size = 0;

  constructor(private readonly sink?: (part: Uint8Array) => void) {
    this.buffer = new Uint8Array(sink ? SINK_BUFFER_BYTES : 256);
    this.view = new DataView(this.buffer.buffer);
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.size++] = value;
  }

  uint32(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.size, value, false);
    this.size += 4;
  }

  lengthPrefixed(bytes: Uint8Array): void {
    this.uint32(bytes.length);
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.size);
    this.size += bytes.length;
  }

  /** Writes a string as UTF-8 with its length prefix; a lone surrogate becomes U+FFFD, as TextEncoder does. */
  text(value: string): void {
    this.reserve(4 + 3 * value.length);
    const { written } = encoder.encodeInto(value, this.buffer.subarray(this.size + 4));
    this.view.setUint32(this.size, written, false);
    this.size += 4 + written;
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.size);
  }

  /** Hands what is left to the sink. */
  flush(): void {
    if (this.sink && this.size > 0) {
      this.sink(this.buffer.subarray(0, this.size));
      this.size = 0;
    }
  }

  private reserve(count: number): void {
    if (this.size + count <= this.buffer.length) {
      return;
    }
    this.flush();
    if (this.size + count <= this.buffer.length) {
      return;
    }
    const grown = new Uint8Array(Math.max(2 * this.buffer.length, this.size + count));
    grown.set(this.buffer.subarray(0, this.size));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }
}

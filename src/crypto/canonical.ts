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
const encoder = new TextEncoder();

/**
 * Encodes a value under a domain label, such as 'sealbid/receipt/v1'.
 * The domain is written first, so a signature over one kind of message can
 * never be replayed as another kind.
 * @throws TypeError when the domain is not a lowercase label or the value contains
 *   something without a canonical form (undefined, a fraction, a function).
 */
export function canonicalMessage(domain: string, value: CanonicalValue): Uint8Array {
  if (!DOMAIN_PATTERN.test(domain)) {
    throw new TypeError(`invalid domain label ${JSON.stringify(domain)}: use lowercase letters, digits, '.', '/' and '-'`);
  }
  const writer = new ByteWriter();
  writer.lengthPrefixed(encoder.encode(domain));
  writeValue(writer, value, '$');
  return writer.finish();
}

/**
 * Encodes a value without a domain label.
 * @throws TypeError as canonicalMessage does.
 */
export function canonicalEncode(value: CanonicalValue): Uint8Array {
  const writer = new ByteWriter();
  writeValue(writer, value, '$');
  return writer.finish();
}

function writeValue(writer: ByteWriter, value: CanonicalValue, path: string): void {
  if (value === null) {
    writer.byte(TAG_NULL);
  } else if (typeof value === 'string') {
    writer.byte(TAG_STRING);
    writer.lengthPrefixed(encoder.encode(value));
  } else if (typeof value === 'boolean') {
    writer.byte(value ? TAG_TRUE : TAG_FALSE);
  } else if (typeof value === 'number' || typeof value === 'bigint') {
    writeInteger(writer, value, path);
  } else if (value instanceof Uint8Array) {
    writer.byte(TAG_BYTES);
    writer.lengthPrefixed(value);
  } else if (Array.isArray(value)) {
    writeArray(writer, value as readonly CanonicalValue[], path);
  } else if (typeof value === 'object') {
    writeObject(writer, value as { readonly [key: string]: CanonicalValue }, path);
  } else {
    throw new TypeError(`cannot encode ${typeof value} at ${path}: expected string, integer, boolean, null, bytes, array or object`);
  }
}

// Numbers and bigints share one tag, so 5 and 5n encode the same way.
function writeInteger(writer: ByteWriter, value: number | bigint, path: string): void {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new TypeError(`cannot encode number ${value} at ${path}: expected a safe integer (use a bigint or a string)`);
  }
  writer.byte(TAG_INTEGER);
  writer.lengthPrefixed(encoder.encode(value.toString(10)));
}

function writeArray(writer: ByteWriter, items: readonly CanonicalValue[], path: string): void {
  writer.byte(TAG_ARRAY);
  writer.uint32(items.length);
  items.forEach((item, index) => writeValue(writer, item, `${path}[${index}]`));
}

function writeObject(writer: ByteWriter, object: { readonly [key: string]: CanonicalValue }, path: string): void {
  const keys = Object.keys(object).sort();
  writer.byte(TAG_OBJECT);
  writer.uint32(keys.length);

  for (const key of keys) {
    const item = object[key];
    if (item === undefined) {
      throw new TypeError(`cannot encode undefined at ${path}.${key}: omit the key or use null`);
    }
    writer.lengthPrefixed(encoder.encode(key));
    writeValue(writer, item, `${path}.${key}`);
  }
}

/** Growable byte buffer with big-endian length prefixes. */
class ByteWriter {
  private chunks: Uint8Array[] = [];
  private size = 0;

  byte(value: number): void {
    this.push(Uint8Array.of(value));
  }

  uint32(value: number): void {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value, false);
    this.push(bytes);
  }

  lengthPrefixed(bytes: Uint8Array): void {
    this.uint32(bytes.length);
    this.push(bytes);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.size += bytes.length;
  }
}

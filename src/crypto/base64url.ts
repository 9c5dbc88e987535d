/**
 * Base64url without padding (RFC 4648, section 5), written out here because
 * browsers and Node share no byte-level base64 API that both support.
 * Decoding is strict: padding, other alphabets, whitespace and non-zero
 * trailing bits are rejected, so every byte string has exactly one encoding.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Map<string, number>([...ALPHABET].map((char, index) => [char, index]));

/** Encodes bytes as unpadded base64url text. */
export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let j = 0; j < chars; j++) {
      out += ALPHABET[(chunk >> (18 - 6 * j)) & 63];
    }
  }
  return out;
}

/**
 * Decodes unpadded base64url text.
 * @throws TypeError naming the field when the text is not canonical base64url.
 */
export function fromBase64Url(text: string, field = 'value'): Uint8Array {
  if (typeof text !== 'string') {
    throw new TypeError(`${field} must be a base64url string, got ${typeof text}`);
  }
  if (text.length % 4 === 1) {
    throw new TypeError(`${field} is not valid base64url: a length of ${text.length} characters is impossible`);
  }
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let buffer = 0;
  let bits = 0;
  let offset = 0;

  for (const char of text) {
    const index = LOOKUP.get(char);
    if (index === undefined) {
      throw new TypeError(`${field} is not valid base64url: unexpected character ${JSON.stringify(char)}`);
    }
    buffer = ((buffer << 6) | index) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[offset++] = (buffer >> bits) & 0xff;
    }
  }

  if ((buffer & ((1 << bits) - 1)) !== 0) {
    throw new TypeError(`${field} is not canonical base64url: the unused trailing bits must be zero`);
  }
  return out;
}

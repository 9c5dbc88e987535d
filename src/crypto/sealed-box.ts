/**
 * Public-key sealing of a short plaintext to one X25519 recipient.
 *
 * Construction: a fresh ephemeral X25519 key pair per message; the ECDH
 * shared secret goes through HKDF-SHA256 (RFC 5869) with salt
 * ephemeralPublicKey || recipientPublicKey and a purpose label as info, giving
 * a 32-byte ChaCha20-Poly1305 key (RFC 8439). The nonce is 12 random bytes.
 * Callers bind the context (auction, bidder, evaluator) as associated data, so
 * a ciphertext moved to another context fails authentication.
 *
 * Only the intended recipient can open a box, but anyone can create one: the
 * sender is not authenticated by this construction.
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { randomBytes } from '@noble/ciphers/utils.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';

import { fromBase64Url, toBase64Url } from './base64url.js';
import { curves } from './curves.js';

export const KEY_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
export const SEALED_BOX_VERSION = 1;

/** A sealed box as JSON: every byte field is unpadded base64url. */
export interface SealedBox {
  version: 1;
  ephemeralPublicKey: string;
  nonce: string;
  ciphertext: string;
}

/** A sealed box with its byte fields decoded. */
export interface SealedBoxBytes {
  ephemeralPublicKey: Uint8Array;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
}

/** Error thrown when a sealed box is malformed or fails to open. Never carries key or plaintext material. */
export class SealedBoxError extends Error {
  override readonly name = 'SealedBoxError';
}

/**
 * Seals plaintext to the recipient's X25519 public key.
 * @throws SealedBoxError when the recipient public key is not 32 bytes or is a low-order point.
 */
export function sealBox(
  plaintext: Uint8Array,
  recipientPublicKey: Uint8Array,
  label: string,
  associatedData: Uint8Array,
): SealedBox {
  checkKey(recipientPublicKey, 'recipient public key');
  let ephemeral: { ephemeralPublicKey: Uint8Array; sharedSecret: Uint8Array };
  try {
    ephemeral = curves().x25519Ephemeral(recipientPublicKey);
  } catch {
    throw lowOrderError('recipient public key');
  }
  const ephemeralPublicKey = ephemeral.ephemeralPublicKey;
  const key = deriveKey(ephemeral.sharedSecret, { ephemeralPublicKey, recipientPublicKey }, label);
  const nonce = randomBytes(NONCE_BYTES);

  const ciphertext = chacha20poly1305(key, nonce, associatedData).encrypt(plaintext);
  key.fill(0);
  return {
    version: SEALED_BOX_VERSION,
    ephemeralPublicKey: toBase64Url(ephemeralPublicKey),
    nonce: toBase64Url(nonce),
    ciphertext: toBase64Url(ciphertext),
  };
}

/**
 * Opens a sealed box with the recipient's X25519 private key.
 * @throws SealedBoxError when the box is malformed, the key does not match, the
 *   associated data differs from the sealer's, or the ciphertext was altered.
 */
export function openBox(
  box: unknown,
  recipientPrivateKey: Uint8Array,
  label: string,
  associatedData: Uint8Array,
  subject = 'sealed box',
): Uint8Array {
  const bytes = parseSealedBox(box, subject);
  checkKey(recipientPrivateKey, 'recipient private key');
  const recipientPublicKey = curves().x25519PublicKey(recipientPrivateKey);
  let shared: Uint8Array;
  try {
    shared = curves().x25519SharedSecret(recipientPrivateKey, bytes.ephemeralPublicKey);
  } catch {
    throw lowOrderError(`${subject} ephemeralPublicKey`);
  }
  const key = deriveKey(shared, { ephemeralPublicKey: bytes.ephemeralPublicKey, recipientPublicKey }, label);

  try {
    return chacha20poly1305(key, bytes.nonce, associatedData).decrypt(bytes.ciphertext);
  } catch {
    throw new SealedBoxError(
      `${subject} failed authentication: it was sealed to another key, for another auction, bidder, submission or evaluator, or altered in transit`,
    );
  } finally {
    key.fill(0);
  }
}

/**
 * Checks the JSON shape of a sealed box and decodes its byte fields.
 * @throws SealedBoxError naming the first field that is missing or malformed.
 */
export function parseSealedBox(box: unknown, subject = 'sealed box'): SealedBoxBytes {
  if (typeof box !== 'object' || box === null || Array.isArray(box)) {
    throw new SealedBoxError(`${subject} must be an object with version, ephemeralPublicKey, nonce and ciphertext`);
  }
  const record = box as Record<string, unknown>;
  const unknownKeys = Object.keys(record).filter((key) => !['version', 'ephemeralPublicKey', 'nonce', 'ciphertext'].includes(key));
  if (unknownKeys.length > 0) {
    throw new SealedBoxError(`${subject} has unknown field ${unknownKeys[0]}: remove it`);
  }
  if (record.version !== SEALED_BOX_VERSION) {
    throw new SealedBoxError(`${subject} has version ${String(record.version)}, expected ${SEALED_BOX_VERSION}`);
  }

  const ephemeralPublicKey = decodeField(record.ephemeralPublicKey, `${subject} ephemeralPublicKey`);
  const nonce = decodeField(record.nonce, `${subject} nonce`);
  const ciphertext = decodeField(record.ciphertext, `${subject} ciphertext`);
  if (ephemeralPublicKey.length !== KEY_BYTES) {
    throw new SealedBoxError(`${subject} ephemeralPublicKey must be ${KEY_BYTES} bytes, got ${ephemeralPublicKey.length}`);
  }
  if (nonce.length !== NONCE_BYTES) {
    throw new SealedBoxError(`${subject} nonce must be ${NONCE_BYTES} bytes, got ${nonce.length}`);
  }
  if (ciphertext.length < TAG_BYTES) {
    throw new SealedBoxError(`${subject} ciphertext must be at least ${TAG_BYTES} bytes, got ${ciphertext.length}`);
  }
  return { ephemeralPublicKey, nonce, ciphertext };
}

function decodeField(value: unknown, field: string): Uint8Array {
  if (typeof value !== 'string') {
    throw new SealedBoxError(`${field} is missing: expected a base64url string`);
  }
  try {
    return fromBase64Url(value, field);
  } catch (error) {
    throw new SealedBoxError((error as Error).message);
  }
}

/** The public keys that salt the key derivation, binding the key to both ends. */
interface AgreementKeys {
  ephemeralPublicKey: Uint8Array;
  recipientPublicKey: Uint8Array;
}

// Wipes the shared secret once the symmetric key is derived from it.
function deriveKey(shared: Uint8Array, keys: AgreementKeys, label: string): Uint8Array {
  const salt = new Uint8Array(2 * KEY_BYTES);
  salt.set(keys.ephemeralPublicKey, 0);
  salt.set(keys.recipientPublicKey, KEY_BYTES);
  const key = hkdf(sha256, shared, salt, new TextEncoder().encode(label), KEY_BYTES);
  shared.fill(0);
  return key;
}

function lowOrderError(peerName: string): SealedBoxError {
  return new SealedBoxError(`${peerName} is invalid: it is a low-order point or not a Curve25519 key`);
}

function checkKey(key: unknown, name: string): void {
  if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) {
    const got = key instanceof Uint8Array ? `${key.length} bytes` : typeof key;
    throw new SealedBoxError(`${name} must be a ${KEY_BYTES}-byte Uint8Array, got ${got}`);
  }
}

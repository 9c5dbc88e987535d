/**
 * The evaluator's long-term keys: X25519 for opening envelopes and Ed25519 for
 * signing receipts, agreements and results. They live in one JSON key file
 * (mode 0600) that is created on first start, or come from an environment
 * variable with the same JSON.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

import {
  fromBase64Url,
  generateSealingKeyPair,
  generateSigningKeyPair,
  sealingPublicKey,
  signingPublicKey,
  toBase64Url,
  type KeyPair,
} from '../../crypto/index.js';

const KEY_FILE_KIND = 'sealbid-evaluator-keys';

/** The evaluator's two long-term key pairs. */
export interface EvaluatorKeys {
  sealing: KeyPair;
  signing: KeyPair;
}

/** Error for a missing, unreadable, malformed or unprotected key file. Never contains key material. */
export class KeyFileError extends Error {
  override readonly name = 'KeyFileError';
}

/** Generates fresh sealing and signing key pairs. */
export function generateEvaluatorKeys(): EvaluatorKeys {
  return { sealing: generateSealingKeyPair(), signing: generateSigningKeyPair() };
}

/** Serialises keys as key file JSON, public keys included for operators to copy. */
export function serializeKeys(keys: EvaluatorKeys): string {
  const document = {
    version: 1,
    kind: KEY_FILE_KIND,
    sealingSecretKey: toBase64Url(keys.sealing.secretKey),
    signingSecretKey: toBase64Url(keys.signing.secretKey),
    sealingPublicKey: toBase64Url(keys.sealing.publicKey),
    signingPublicKey: toBase64Url(keys.signing.publicKey),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * Parses key file JSON and derives the public keys from the secret keys.
 * @throws KeyFileError naming the source and the field that is wrong.
 */
export function parseKeys(text: string, source: string): EvaluatorKeys {
  let document: Record<string, unknown>;
  try {
    document = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new KeyFileError(`${source} is not valid JSON: expected an evaluator key file`);
  }
  if (document?.kind !== KEY_FILE_KIND || document.version !== 1) {
    throw new KeyFileError(`${source} is not an evaluator key file: expected kind "${KEY_FILE_KIND}" and version 1`);
  }

  const sealingSecret = decodeSecret(document.sealingSecretKey, source, 'sealingSecretKey');
  const signingSecret = decodeSecret(document.signingSecretKey, source, 'signingSecretKey');
  const keys = {
    sealing: { secretKey: sealingSecret, publicKey: sealingPublicKey(sealingSecret) },
    signing: { secretKey: signingSecret, publicKey: signingPublicKey(signingSecret) },
  };
  checkPublicKey(document.sealingPublicKey, keys.sealing.publicKey, source, 'sealingPublicKey');
  checkPublicKey(document.signingPublicKey, keys.signing.publicKey, source, 'signingPublicKey');
  return keys;
}

/** Returns a short hex fingerprint of the public keys, safe to print and compare. */
export function keyFingerprint(keys: EvaluatorKeys): string {
  const digest = sha256(new Uint8Array([...keys.signing.publicKey, ...keys.sealing.publicKey]));
  return bytesToHex(digest).slice(0, 32);
}

/** Origin of the loaded keys. */
export type KeySource = 'environment' | 'file' | 'created';

/**
 * Loads the keys from inline JSON if given, else from the key file, creating
 * the file with fresh keys (mode 0600, folder 0700) when it does not exist.
 * @throws KeyFileError when the keys are malformed or the file is readable by other users.
 */
export function loadOrCreateKeys(options: { keyFile: string; inlineKeys?: string }): { keys: EvaluatorKeys; source: KeySource } {
  if (options.inlineKeys) {
    return { keys: parseKeys(options.inlineKeys, 'SEALBID_EVALUATOR_KEYS'), source: 'environment' };
  }
  if (existsSync(options.keyFile)) {
    return { keys: readKeyFile(options.keyFile), source: 'file' };
  }

  const keys = generateEvaluatorKeys();
  writeKeyFile(options.keyFile, keys);
  return { keys, source: 'created' };
}

/**
 * Reads a key file, refusing one that group or other users can access.
 * @throws KeyFileError when the file is unreadable, unprotected or malformed.
 */
export function readKeyFile(path: string): EvaluatorKeys {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new KeyFileError(`key file ${path} has mode ${mode.toString(8)}, open to other users; run chmod 600 ${path}`);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new KeyFileError(`key file ${path} could not be read: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}`);
  }
  return parseKeys(text, `key file ${path}`);
}

/**
 * Writes a new key file with mode 0600; never overwrites an existing file.
 * @throws KeyFileError when the file already exists or cannot be written.
 */
export function writeKeyFile(path: string, keys: EvaluatorKeys): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path, serializeKeys(keys), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new KeyFileError(`key file ${path} already exists; move it away first, it is never overwritten`);
    }
    throw new KeyFileError(`key file ${path} could not be written: ${code ?? 'unknown error'}`);
  }
}

function decodeSecret(value: unknown, source: string, field: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(String(value), field);
  } catch {
    throw new KeyFileError(`${source} field ${field} is missing or not base64url`);
  }
  if (bytes.length !== 32) {
    throw new KeyFileError(`${source} field ${field} must be 32 bytes, got ${bytes.length}`);
  }
  return bytes;
}

function checkPublicKey(value: unknown, derived: Uint8Array, source: string, field: string): void {
  if (value !== undefined && value !== toBase64Url(derived)) {
    throw new KeyFileError(`${source} field ${field} does not match its secret key; remove the field or fix the file`);
  }
}

/** Returns the public half of the keys as base64url, for operators to pin at peers and the orchestrator. */
export function describeKeys(keys: EvaluatorKeys): { sealingPublicKey: string; signingPublicKey: string; fingerprint: string } {
  return {
    sealingPublicKey: toBase64Url(keys.sealing.publicKey),
    signingPublicKey: toBase64Url(keys.signing.publicKey),
    fingerprint: keyFingerprint(keys),
  };
}

/**
 * Key pairs for sealing (X25519) and signing (Ed25519). Both secret keys are
 * 32 random bytes; the public keys are 32-byte encodings.
 */
import { ed25519, x25519 } from '@noble/curves/ed25519.js';

/** A secret key with its public key. */
export interface KeyPair {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

/** Generates a random X25519 key pair for sealing envelopes or won-bit shares. */
export function generateSealingKeyPair(): KeyPair {
  const secretKey = x25519.utils.randomSecretKey();
  return { secretKey, publicKey: x25519.getPublicKey(secretKey) };
}

/** Generates a random Ed25519 key pair for signing statements. */
export function generateSigningKeyPair(): KeyPair {
  const secretKey = ed25519.utils.randomSecretKey();
  return { secretKey, publicKey: ed25519.getPublicKey(secretKey) };
}

/**
 * Derives the X25519 public key of a sealing secret key.
 * @throws TypeError when the secret key is not 32 bytes.
 */
export function sealingPublicKey(secretKey: Uint8Array): Uint8Array {
  checkSecretKey(secretKey, 'X25519');
  return x25519.getPublicKey(secretKey);
}

/**
 * Derives the Ed25519 public key of a signing secret key.
 * @throws TypeError when the secret key is not 32 bytes.
 */
export function signingPublicKey(secretKey: Uint8Array): Uint8Array {
  checkSecretKey(secretKey, 'Ed25519');
  return ed25519.getPublicKey(secretKey);
}

function checkSecretKey(secretKey: Uint8Array, scheme: string): void {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== 32) {
    throw new TypeError(`${scheme} secret key must be a 32-byte Uint8Array`);
  }
}

/**
 * Ed25519 signatures and X25519 key agreement behind one interface with two
 * implementations: @noble/curves (pure TypeScript, runs everywhere) and the
 * OpenSSL implementation built into Node (about 8 to 20 times faster per
 * operation, see docs/benchmarks.md). Node processes pick the native one at
 * load time through process.getBuiltinModule (Node 20.16 or later); browsers
 * and older runtimes keep noble. Both produce the same bytes: Ed25519 signing
 * is deterministic (RFC 8032) and X25519 is a function of its inputs (RFC 7748).
 *
 * Verification is strict in both: noble runs with zip215 off, and OpenSSL
 * rejects a non-canonical S. NOTE: the two may still differ on adversarial
 * encodings that no honest signer produces (such as a non-canonical public
 * key), which either rejects or both reject.
 */
import { ed25519, x25519 } from '@noble/curves/ed25519.js';

import { toBase64Url } from './base64url.js';

/** The curve operations the sealing and signing code needs. */
export interface CurveBackend {
  readonly name: 'noble' | 'node';
  /** Ed25519 signature (64 bytes) of message under a 32-byte secret key. */
  sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array;
  /** Strict Ed25519 verification; returns false, never throws, for malformed input. */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  /** X25519 public key of a 32-byte secret key. */
  x25519PublicKey(secretKey: Uint8Array): Uint8Array;
  /** X25519 shared secret. @throws Error for a low-order or malformed public key. */
  x25519SharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array;
  /**
   * Generates a fresh X25519 key pair, agrees with publicKey and discards the
   * ephemeral secret key. @throws Error for a low-order or malformed public key.
   */
  x25519Ephemeral(publicKey: Uint8Array): { ephemeralPublicKey: Uint8Array; sharedSecret: Uint8Array };
}

/** The pure TypeScript backend. */
export const nobleCurves: CurveBackend = {
  name: 'noble',
  sign: (message, secretKey) => ed25519.sign(message, secretKey),
  verify: (signature, message, publicKey) => {
    try {
      return ed25519.verify(signature, message, publicKey, { zip215: false });
    } catch {
      return false;
    }
  },
  x25519PublicKey: (secretKey) => x25519.getPublicKey(secretKey),
  x25519SharedSecret: (secretKey, publicKey) => x25519.getSharedSecret(secretKey, publicKey),
  x25519Ephemeral: (publicKey) => {
    const secretKey = x25519.utils.randomSecretKey();
    try {
      return { ephemeralPublicKey: x25519.getPublicKey(secretKey), sharedSecret: x25519.getSharedSecret(secretKey, publicKey) };
    } finally {
      secretKey.fill(0);
    }
  },
};

/** The part of node:crypto that the native backend uses, typed here so this file needs no Node types. */
interface NodeCrypto {
  createPrivateKey(input: { key: JsonWebKey; format: 'jwk' }): unknown;
  createPublicKey(input: { key: JsonWebKey; format: 'jwk' }): unknown;
  sign(algorithm: null, data: Uint8Array, key: unknown): Uint8Array;
  verify(algorithm: null, data: Uint8Array, key: unknown, signature: Uint8Array): boolean;
  diffieHellman(options: { privateKey: unknown; publicKey: unknown }): Uint8Array;
}

/** The X25519 base point u = 9 (RFC 7748): X25519(k, 9) is the public key of k. */
const X25519_BASE_POINT = Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 9 : 0));

/** Most public keys kept imported; evaluators and clients use a handful, so this bounds memory only. */
const MAX_CACHED_PUBLIC_KEYS = 1024;

/**
 * Returns the backend on Node's built-in crypto, or null where
 * process.getBuiltinModule is missing (browsers, Node before 20.16).
 */
export function nativeCurves(): CurveBackend | null {
  const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const native = runtime?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;
  if (native === undefined || typeof native.diffieHellman !== 'function') {
    return null;
  }
  return nodeBackend(native);
}

function nodeBackend(native: NodeCrypto): CurveBackend {
  const privateKeys = new SecretKeyCache(native);
  const publicKeys = new Map<string, unknown>();

  // Importing a raw public key costs about a tenth of a verification, so imported keys are kept by their encoding.
  const publicKey = (curve: 'Ed25519' | 'X25519', bytes: Uint8Array): unknown => {
    const x = toBase64Url(bytes);
    const id = `${curve}:${x}`;
    let key = publicKeys.get(id);
    if (key === undefined) {
      key = native.createPublicKey({ key: { kty: 'OKP', crv: curve, x }, format: 'jwk' });
      if (publicKeys.size >= MAX_CACHED_PUBLIC_KEYS) {
        publicKeys.clear();
      }
      publicKeys.set(id, key);
    }
    return key;
  };

  return {
    name: 'node',
    sign: (message, secretKey) => new Uint8Array(native.sign(null, message, privateKeys.get('Ed25519', secretKey))),
    verify: (signature, message, key) => {
      if (signature.length !== 64 || key.length !== 32) {
        return false;
      }
      try {
        return native.verify(null, message, publicKey('Ed25519', key), signature);
      } catch {
        return false;
      }
    },
    x25519PublicKey: (secretKey) => privateKeys.publicKey('X25519', secretKey),
    x25519SharedSecret: (secretKey, key) => {
      if (key.length !== 32) {
        throw new RangeError(`X25519 public key must be 32 bytes, got ${key.length}`);
      }
      // OpenSSL rejects a low-order point (an all-zero shared secret) as noble does.
      const shared = native.diffieHellman({ privateKey: privateKeys.get('X25519', secretKey), publicKey: publicKey('X25519', key) });
      return new Uint8Array(shared);
    },
    // Node 20 can deadlock exporting a key from generateKeyPairSync: a GC during the export finalizes the
    // generation job, which locks the key's mutex that the export holds. So the secret is drawn here and the
    // public key is X25519(secret, 9).
    x25519Ephemeral: (key) => {
      if (key.length !== 32) {
        throw new RangeError(`X25519 public key must be 32 bytes, got ${key.length}`);
      }
      const secretKey = x25519.utils.randomSecretKey();
      try {
        const privateKey = importEphemeral(native, secretKey);
        const ephemeralPublicKey = new Uint8Array(native.diffieHellman({ privateKey, publicKey: publicKey('X25519', X25519_BASE_POINT) }));
        const sharedSecret = new Uint8Array(native.diffieHellman({ privateKey, publicKey: publicKey('X25519', key) }));
        return { ephemeralPublicKey, sharedSecret };
      } finally {
        secretKey.fill(0);
      }
    },
  };
}

/**
 * Imports a one-time X25519 secret key. A JWK import requires the public key
 * field but does not check it (the SecretKeyCache below relies on the same),
 * and X25519 uses only the secret, so the base point fills that field.
 * NOTE: a Node release that checks the field would make this import throw;
 * test/crypto/curves.test.ts would then fail.
 */
function importEphemeral(native: NodeCrypto, secretKey: Uint8Array): unknown {
  const jwk = { kty: 'OKP', crv: 'X25519', d: toBase64Url(secretKey), x: toBase64Url(X25519_BASE_POINT) };
  return native.createPrivateKey({ key: jwk, format: 'jwk' });
}

interface CachedSecretKey {
  bytes: Uint8Array;
  publicKey: Uint8Array;
  keyObject: unknown;
}

/**
 * Imported secret keys, keyed by the caller's array. Long-lived keys (an
 * evaluator's signing and sealing keys) are imported once. The cache keeps a
 * copy of the bytes, so an array that was wiped or refilled since is imported
 * again instead of signing with stale key material.
 */
class SecretKeyCache {
  private readonly entries = new WeakMap<Uint8Array, CachedSecretKey>();

  constructor(private readonly native: NodeCrypto) {}

  get(curve: 'Ed25519' | 'X25519', secretKey: Uint8Array): unknown {
    return this.entry(curve, secretKey).keyObject;
  }

  publicKey(curve: 'Ed25519' | 'X25519', secretKey: Uint8Array): Uint8Array {
    return this.entry(curve, secretKey).publicKey.slice();
  }

  private entry(curve: 'Ed25519' | 'X25519', secretKey: Uint8Array): CachedSecretKey {
    if (!(secretKey instanceof Uint8Array) || secretKey.length !== 32) {
      throw new TypeError(`${curve} secret key must be a 32-byte Uint8Array`);
    }
    const cached = this.entries.get(secretKey);
    if (cached !== undefined && sameBytes(cached.bytes, secretKey)) {
      return cached;
    }
    // A JWK import needs the public key and does not check it, so it is derived here with noble, once per key.
    const publicKey = curve === 'Ed25519' ? ed25519.getPublicKey(secretKey) : x25519.getPublicKey(secretKey);
    const jwk = { kty: 'OKP', crv: curve, d: toBase64Url(secretKey), x: toBase64Url(publicKey) };
    const entry = { bytes: secretKey.slice(), publicKey, keyObject: this.native.createPrivateKey({ key: jwk, format: 'jwk' }) };
    this.entries.set(secretKey, entry);
    return entry;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) {
    return false;
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      return false;
    }
  }
  return true;
}

let active: CurveBackend = nativeCurves() ?? nobleCurves;

/** Returns the backend in use. */
export function curves(): CurveBackend {
  return active;
}

/** Replaces the backend in use, such as to test both, and returns the previous one. */
export function useCurveBackend(backend: CurveBackend): CurveBackend {
  const previous = active;
  active = backend;
  return previous;
}

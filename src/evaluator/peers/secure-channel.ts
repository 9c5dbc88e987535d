/**
 * The authenticated key exchange and frame encryption of the peer channel.
 *
 * Handshake (three JSON messages, before any protocol traffic):
 *   1. listener -> dialer: challenge { party, nonce, ephemeralKey }
 *   2. dialer -> listener: hello { party, nonce, ephemeralKey, signature }
 *   3. listener -> dialer: welcome { signature }
 * Each side signs the whole transcript (both party numbers, both nonces, both
 * ephemeral X25519 keys) and its own role with its long-term Ed25519 key, and
 * checks the other's signature against the key pinned in its configuration.
 * Both then derive one ChaCha20-Poly1305 key per direction with HKDF-SHA256
 * from the ephemeral X25519 shared secret, salted with the transcript hash.
 * Fresh ephemeral keys give forward secrecy; fresh nonces on both sides stop
 * a recorded handshake from being replayed.
 *
 * Frames: the nonce is a 64-bit message counter per direction, never sent, so
 * a dropped, replayed, reordered or injected frame fails authentication and
 * the connection must be closed.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';

import { randomBytes } from '@noble/ciphers/utils.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';

import { canonicalMessage, fromBase64Url, signStatement, toBase64Url, verifyStatement } from '../../crypto/index.js';

const HANDSHAKE_DOMAIN = 'sealbid/peer-handshake/v1';
const TRANSCRIPT_DOMAIN = 'sealbid/peer-transcript/v1';
const CHANNEL_LABEL = 'sealbid/peer-channel/v1';
const NONCE_BYTES = 32;
const TAG_BYTES = 16;

/** Error for a failed handshake or a frame that does not authenticate. */
export class ChannelError extends Error {
  override readonly name = 'ChannelError';
}

export interface ChallengeMessage {
  type: 'challenge';
  version: 1;
  party: number;
  nonce: string;
  ephemeralKey: string;
}

export interface HelloMessage {
  type: 'hello';
  version: 1;
  party: number;
  nonce: string;
  ephemeralKey: string;
  signature: string;
}

export interface WelcomeMessage {
  type: 'welcome';
  signature: string;
}

/** Public values of a handshake that both sides sign. */
interface Transcript {
  dialer: number;
  listener: number;
  dialerNonce: string;
  listenerNonce: string;
  dialerKey: string;
  listenerKey: string;
}

interface Ephemeral {
  secretKey: Uint8Array;
  publicKey: string;
  nonce: string;
}

function freshEphemeral(): Ephemeral {
  const secretKey = x25519.utils.randomSecretKey();
  return { secretKey, publicKey: toBase64Url(x25519.getPublicKey(secretKey)), nonce: toBase64Url(randomBytes(NONCE_BYTES)) };
}

/** The listener's side of the handshake. */
export class ListenerHandshake {
  private readonly ephemeral = freshEphemeral();

  constructor(
    private readonly ownParty: number,
    private readonly signingKey: Uint8Array,
  ) {}

  /** Creates the first message, sent as soon as a connection is accepted. */
  challenge(): ChallengeMessage {
    return { type: 'challenge', version: 1, party: this.ownParty, nonce: this.ephemeral.nonce, ephemeralKey: this.ephemeral.publicKey };
  }

  /**
   * Checks the dialer's hello against the pinned key of the party it claims to be.
   * @throws ChannelError when the message is malformed, the party is not
   *   allowed to dial, or the signature does not verify.
   */
  accept(raw: unknown, pinnedKey: (party: number) => Uint8Array | undefined): { peer: number; welcome: WelcomeMessage; channel: SecureChannel } {
    const hello = parseHello(raw);
    const key = pinnedKey(hello.party);
    if (!key) {
      throw new ChannelError(`party ${hello.party} is not a configured peer that may dial party ${this.ownParty}`);
    }
    const transcript: Transcript = {
      dialer: hello.party,
      listener: this.ownParty,
      dialerNonce: hello.nonce,
      listenerNonce: this.ephemeral.nonce,
      dialerKey: hello.ephemeralKey,
      listenerKey: this.ephemeral.publicKey,
    };
    if (!verifyStatement(HANDSHAKE_DOMAIN, { role: 'dialer', ...transcript }, hello.signature, key)) {
      throw new ChannelError(`party ${hello.party} failed authentication: its handshake signature does not match the pinned key`);
    }

    const signature = signStatement(HANDSHAKE_DOMAIN, { role: 'listener', ...transcript }, this.signingKey);
    const channel = deriveChannel(this.ephemeral.secretKey, hello.ephemeralKey, transcript, 'listener');
    return { peer: hello.party, welcome: { type: 'welcome', signature }, channel };
  }
}

/** The dialer's side of the handshake. */
export class DialerHandshake {
  private readonly ephemeral = freshEphemeral();
  private transcript: Transcript | null = null;

  constructor(
    private readonly ownParty: number,
    private readonly peer: number,
    private readonly signingKey: Uint8Array,
    private readonly peerKey: Uint8Array,
  ) {}

  /**
   * Creates the signed hello in response to the listener's challenge.
   * @throws ChannelError when the challenge is malformed or comes from another party.
   */
  hello(raw: unknown): HelloMessage {
    const challenge = parseChallenge(raw);
    if (challenge.party !== this.peer) {
      throw new ChannelError(`expected party ${this.peer} at this address, but party ${challenge.party} responded`);
    }
    this.transcript = {
      dialer: this.ownParty,
      listener: this.peer,
      dialerNonce: this.ephemeral.nonce,
      listenerNonce: challenge.nonce,
      dialerKey: this.ephemeral.publicKey,
      listenerKey: challenge.ephemeralKey,
    };
    const signature = signStatement(HANDSHAKE_DOMAIN, { role: 'dialer', ...this.transcript }, this.signingKey);
    return { type: 'hello', version: 1, party: this.ownParty, nonce: this.ephemeral.nonce, ephemeralKey: this.ephemeral.publicKey, signature };
  }

  /**
   * Checks the listener's welcome and returns the encrypted channel.
   * @throws ChannelError when the message is malformed or the signature does not match the pinned key.
   */
  finish(raw: unknown): SecureChannel {
    const transcript = this.transcript;
    const record = raw as Partial<WelcomeMessage>;
    if (!transcript || record?.type !== 'welcome' || typeof record.signature !== 'string') {
      throw new ChannelError('expected a welcome message after the hello');
    }
    if (!verifyStatement(HANDSHAKE_DOMAIN, { role: 'listener', ...transcript }, record.signature, this.peerKey)) {
      throw new ChannelError(`party ${this.peer} failed authentication: its handshake signature does not match the pinned key`);
    }
    return deriveChannel(this.ephemeral.secretKey, transcript.listenerKey, transcript, 'dialer');
  }
}

/** Encrypts and decrypts the frames of one authenticated connection. */
export class SecureChannel {
  private sent = 0n;
  private received = 0n;

  constructor(
    private readonly sendKey: Uint8Array,
    private readonly receiveKey: Uint8Array,
  ) {}

  /**
   * Encrypts the next outgoing frame, whose plaintext is the parts joined:
   * the ciphertext followed by the 16-byte Poly1305 tag.
   */
  seal(...parts: Uint8Array[]): Uint8Array {
    return Buffer.concat(this.sealPieces(...parts));
  }

  /**
   * Encrypts like seal and returns the frame in pieces that, joined in
   * order, are the frame, so a sender can write them without a copy.
   */
  sealPieces(...parts: Uint8Array[]): Uint8Array[] {
    const nonce = counterNonce(this.sent);
    this.sent += 1n;
    const cipher = createCipheriv('chacha20-poly1305', this.sendKey, nonce, { authTagLength: TAG_BYTES });
    const pieces = parts.map((part) => cipher.update(part));
    pieces.push(cipher.final(), cipher.getAuthTag());
    return pieces.filter((piece) => piece.length > 0);
  }

  /**
   * Decrypts the next incoming frame.
   * @throws ChannelError when the frame is not the next one the peer sent.
   */
  open(frame: Uint8Array): Uint8Array {
    const nonce = counterNonce(this.received);
    try {
      if (frame.length < TAG_BYTES) {
        throw new ChannelError('frame is shorter than its tag');
      }
      const decipher = createDecipheriv('chacha20-poly1305', this.receiveKey, nonce, { authTagLength: TAG_BYTES });
      decipher.setAuthTag(frame.subarray(frame.length - TAG_BYTES));
      const body = decipher.update(frame.subarray(0, frame.length - TAG_BYTES));
      decipher.final();
      this.received += 1n;
      return new Uint8Array(body.buffer, body.byteOffset, body.length);
    } catch {
      throw new ChannelError(`frame ${this.received} failed authentication: it was altered, replayed, reordered or injected`);
    }
  }
}

function deriveChannel(ownSecret: Uint8Array, peerKeyText: string, transcript: Transcript, role: 'dialer' | 'listener'): SecureChannel {
  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(ownSecret, fromBase64Url(peerKeyText, 'ephemeral key'));
  } catch {
    throw new ChannelError('the peer sent an invalid ephemeral X25519 key');
  }
  const salt = sha256(canonicalMessage(TRANSCRIPT_DOMAIN, { ...transcript }));
  const keys = hkdf(sha256, shared, salt, new TextEncoder().encode(CHANNEL_LABEL), 64);
  shared.fill(0);
  ownSecret.fill(0);

  const dialerToListener = keys.slice(0, 32);
  const listenerToDialer = keys.slice(32, 64);
  keys.fill(0);
  return role === 'dialer' ? new SecureChannel(dialerToListener, listenerToDialer) : new SecureChannel(listenerToDialer, dialerToListener);
}

function counterNonce(counter: bigint): Uint8Array {
  const nonce = new Uint8Array(12);
  new DataView(nonce.buffer).setBigUint64(4, counter, false);
  return nonce;
}

function parseChallenge(raw: unknown): ChallengeMessage {
  const record = raw as Partial<ChallengeMessage>;
  if (record?.type !== 'challenge' || record.version !== 1 || !isParty(record.party) || !isText(record.nonce) || !isText(record.ephemeralKey)) {
    throw new ChannelError('expected a version 1 challenge with party, nonce and ephemeralKey');
  }
  return record as ChallengeMessage;
}

function parseHello(raw: unknown): HelloMessage {
  const record = raw as Partial<HelloMessage>;
  const valid =
    record?.type === 'hello' &&
    record.version === 1 &&
    isParty(record.party) &&
    isText(record.nonce) &&
    isText(record.ephemeralKey) &&
    isText(record.signature);
  if (!valid) {
    throw new ChannelError('expected a version 1 hello with party, nonce, ephemeralKey and signature');
  }
  return record as HelloMessage;
}

function isParty(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 255;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 256;
}

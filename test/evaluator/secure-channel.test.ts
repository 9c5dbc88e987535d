import { chacha20poly1305 } from '@noble/ciphers/chacha.js';

import { generateSigningKeyPair } from '../../src/crypto/index.js';
import { ChannelError, DialerHandshake, ListenerHandshake, SecureChannel } from '../../src/evaluator/peers/secure-channel.js';

const dialerKeys = generateSigningKeyPair();
const listenerKeys = generateSigningKeyPair();

function handshake(options: { pinnedDialerKey?: Uint8Array; pinnedListenerKey?: Uint8Array } = {}): { dialer: SecureChannel; listener: SecureChannel } {
  const listener = new ListenerHandshake(2, listenerKeys.secretKey);
  const dialer = new DialerHandshake(1, 2, dialerKeys.secretKey, options.pinnedListenerKey ?? listenerKeys.publicKey);
  const hello = dialer.hello(JSON.parse(JSON.stringify(listener.challenge())));
  const accepted = listener.accept(JSON.parse(JSON.stringify(hello)), (party) => (party === 1 ? (options.pinnedDialerKey ?? dialerKeys.publicKey) : undefined));
  expect(accepted.peer).toBe(1);
  return { dialer: dialer.finish(JSON.parse(JSON.stringify(accepted.welcome))), listener: accepted.channel };
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (data: Uint8Array): string => new TextDecoder().decode(data);

describe('peer channel handshake', () => {
  it('gives matching keys both ways', () => {
    const { dialer, listener } = handshake();
    expect(text(listener.open(dialer.seal(bytes('one'))))).toBe('one');
    expect(text(listener.open(dialer.seal(bytes('two'))))).toBe('two');
    expect(text(dialer.open(listener.seal(bytes('back'))))).toBe('back');
  });

  it('seals parts as one joined plaintext', () => {
    const { dialer, listener } = handshake();
    const frame = dialer.seal(bytes('kind:'), bytes(''), bytes('body of the frame'));
    expect(frame).toHaveLength('kind:body of the frame'.length + 16);
    expect(text(listener.open(frame))).toBe('kind:body of the frame');
  });

  it('seals pieces that join into one frame', () => {
    const { dialer, listener } = handshake();
    const pieces = dialer.sealPieces(bytes('kind:'), bytes('pieces of a frame'));
    expect(pieces).toHaveLength(3);
    expect(pieces[2]).toHaveLength(16);
    expect(text(listener.open(Buffer.concat(pieces)))).toBe('kind:pieces of a frame');
  });

  it('rejects a dialer with an unpinned key', () => {
    expect(() => handshake({ pinnedDialerKey: generateSigningKeyPair().publicKey })).toThrow(/party 1 failed authentication/);
  });

  it('rejects a listener with an unpinned key', () => {
    expect(() => handshake({ pinnedListenerKey: generateSigningKeyPair().publicKey })).toThrow(/party 2 failed authentication/);
  });

  it('rejects a party that may not dial', () => {
    const listener = new ListenerHandshake(2, listenerKeys.secretKey);
    const dialer = new DialerHandshake(3, 2, dialerKeys.secretKey, listenerKeys.publicKey);
    const hello = dialer.hello(listener.challenge());
    expect(() => listener.accept(hello, () => undefined)).toThrow(/party 3 is not a configured peer/);
  });

  it('rejects the wrong party at an address', () => {
    const listener = new ListenerHandshake(3, listenerKeys.secretKey);
    const dialer = new DialerHandshake(1, 2, dialerKeys.secretKey, listenerKeys.publicKey);
    expect(() => dialer.hello(listener.challenge())).toThrow(/expected party 2 at this address, but party 3 responded/);
  });

  it('rejects a replayed hello', () => {
    const firstListener = new ListenerHandshake(2, listenerKeys.secretKey);
    const dialer = new DialerHandshake(1, 2, dialerKeys.secretKey, listenerKeys.publicKey);
    const hello = dialer.hello(firstListener.challenge());
    const secondListener = new ListenerHandshake(2, listenerKeys.secretKey);
    secondListener.challenge();
    expect(() => secondListener.accept(hello, () => dialerKeys.publicKey)).toThrow(ChannelError);
  });

  it('rejects malformed messages', () => {
    const listener = new ListenerHandshake(2, listenerKeys.secretKey);
    const dialer = new DialerHandshake(1, 2, dialerKeys.secretKey, listenerKeys.publicKey);
    expect(() => dialer.hello({ type: 'hello' })).toThrow(/expected a version 1 challenge/);
    expect(() => listener.accept({ type: 'challenge' }, () => undefined)).toThrow(/expected a version 1 hello/);
    expect(() => dialer.finish({ type: 'welcome', signature: 'x' })).toThrow(/expected a welcome message after the hello/);
  });
});

describe('peer channel frames', () => {
  it('reject tampering', () => {
    const { dialer, listener } = handshake();
    const frame = dialer.seal(bytes('payload'));
    frame[3] ^= 1;
    expect(() => listener.open(frame)).toThrow(/frame 0 failed authentication/);
  });

  it('reject replay and reordering', () => {
    const { dialer, listener } = handshake();
    const first = dialer.seal(bytes('first'));
    const second = dialer.seal(bytes('second'));
    expect(() => listener.open(second)).toThrow(/frame 0 failed authentication/);
    expect(text(listener.open(first))).toBe('first');
    expect(() => listener.open(first)).toThrow(/frame 1 failed authentication/);
    expect(text(listener.open(second))).toBe('second');
  });

  it('reject reflected frames', () => {
    const { dialer } = handshake();
    const frame = dialer.seal(bytes('echo'));
    expect(() => dialer.open(frame)).toThrow(/failed authentication/);
  });

  it('reject an altered tag and a short frame', () => {
    const { dialer, listener } = handshake();
    const frame = dialer.seal(bytes('tagged'));
    frame[frame.length - 1] ^= 1;
    expect(() => listener.open(frame)).toThrow(/frame 0 failed authentication/);
    expect(() => listener.open(new Uint8Array(15))).toThrow(/frame 0 failed authentication/);
  });
});

describe('peer channel encryption', () => {
  const sendKey = Uint8Array.from({ length: 32 }, (_, i) => i);
  const receiveKey = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
  // The nonce of frame c is 4 zero bytes, then c as a 64-bit big-endian number.
  const nonce = (counter: number): Uint8Array => Uint8Array.from({ length: 12 }, (_, i) => (i === 11 ? counter : 0));

  it('seals frames as RFC 8439 ChaCha20-Poly1305', () => {
    const channel = new SecureChannel(sendKey, receiveKey);
    const first = channel.seal(bytes('first frame'));
    const second = channel.seal(new Uint8Array(70_000).fill(7));

    expect(text(chacha20poly1305(sendKey, nonce(0)).decrypt(first))).toBe('first frame');
    expect(chacha20poly1305(sendKey, nonce(1)).decrypt(second)).toEqual(new Uint8Array(70_000).fill(7));
  });

  it('opens frames sealed by another implementation', () => {
    const channel = new SecureChannel(sendKey, receiveKey);
    const first = chacha20poly1305(receiveKey, nonce(0)).encrypt(bytes('from a peer'));
    const empty = chacha20poly1305(receiveKey, nonce(1)).encrypt(new Uint8Array(0));

    expect(text(channel.open(first))).toBe('from a peer');
    expect(channel.open(empty)).toEqual(new Uint8Array(0));
  });
});

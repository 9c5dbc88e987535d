/**
 * Loopback checks for the peer channel policy: without TLS, a peer channel
 * may only use loopback addresses unless the operator allows it explicitly.
 */
import { isIP } from 'node:net';

/** Returns whether a host name or IP address (v4, v6 or IPv4-mapped v6) is a loopback address. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) {
    return true;
  }
  const v4 = bare.startsWith('::ffff:') ? bare.slice('::ffff:'.length) : bare;
  if (isIP(v4) === 4) {
    return v4.startsWith('127.');
  }
  return isIP(bare) === 6 && /^(0{0,4}:){7}0{0,3}1$|^::1$/.test(bare);
}

/**
 * Returns why an incoming peer connection must be refused, or null to accept
 * it: a connection without TLS from an address other than loopback is refused
 * unless insecure peers are allowed. A TLS proxy on the same host connects
 * from loopback, so it passes.
 */
export function incomingPeerProblem(remoteAddress: string | undefined, encrypted: boolean, allowInsecure: boolean): string | null {
  if (encrypted || allowInsecure || (remoteAddress !== undefined && isLoopback(remoteAddress))) {
    return null;
  }
  return (
    `peer connection from ${remoteAddress ?? 'an unknown address'} without TLS refused: ` +
    'put a TLS proxy in front of this evaluator, or set SEALBID_ALLOW_INSECURE_PEERS=true'
  );
}

/**
 * The MPC core of sealbid: Shamir sharing over the prime field P = 2^26 - 5,
 * a protocol runtime over a message transport, and the auction functions.
 *
 * Adversary model: the n evaluators are semi-honest (they follow the protocol
 * but may pool what they see) with an honest majority, at most t of them
 * colluding, n >= 2t + 1. Bidders may be malicious: their shares are validated
 * before use, and an invalid bid is excluded with a recorded reason. An
 * evaluator that alters a share at an opening is detected because the spare
 * shares disagree, and the run aborts instead of returning a value. Other
 * deviations by evaluators are outside this model.
 *
 * Channels: every pair of parties is connected by an authenticated,
 * confidential channel (the evaluator services use pinned keys for this), and
 * messages of a round are eventually delivered or the round times out. The
 * runtime itself detects lost, duplicated, replayed and reordered messages.
 */
export { P, CHECK_REPETITIONS } from './field/prime.js';
export { checkParams, reconstructionCount, type ShamirParams } from './shamir/params.js';
export { shareSecrets, reconstructSecret, type PointShare } from './shamir/shamir.js';
export { shareBid, amountToBits, bitsToAmount } from './shamir/bid-sharing.js';
export { secureRandom, type RandomSource } from './random.js';
export type { ProtocolMessage, Transport, MessageReceiver } from './runtime/transport.js';
export { encodeMessage, decodeMessage } from './runtime/wire.js';
export { MemoryNetwork } from './runtime/memory-network.js';
export { PartyRuntime, type RuntimeOptions, type RunStats } from './runtime/party-runtime.js';
export { ProtocolAbortError } from './runtime/errors.js';
export type { BidInput } from './protocol/validate.js';
export { runAuction, type PartyAuctionInput } from './auction/run-auction.js';
export { referenceOutcome } from './auction/reference.js';
export * from './auction/rules.js';
export type * from './auction/outcome.js';

/**
 * Builds one party's input to runAuction from the stored envelopes: each
 * listed envelope's share vector is copied from the ones the intake kept, or
 * opened in memory, and each envelope that cannot be used becomes a rejected
 * bid with a public reason. The caller must wipe the inputs when the run ends.
 */
import { openEnvelope, SealedBoxError } from '../../crypto/index.js';
import { P, type BidInput, type PartyAuctionInput } from '../../mpc/index.js';
import type { Envelope } from '../generated/prisma/client.js';
import type { OpenedFrom } from '../intake/opened-shares.js';
import type { BidRefDto } from './dto/compute.dto.js';

/** Inputs of one run besides the rules. */
export interface RunInputs {
  input: PartyAuctionInput;
  /** Bidder X25519 keys (base64url) for won-bit shares, by bid position. */
  wonBitKeys: Array<string | null>;
  /** Overwrites every opened share vector with zeros. */
  wipe(): void;
}

/** Context for opening the envelopes of one run. */
export interface InputContext {
  auctionId: string;
  evaluator: number;
  bits: number;
  sealingSecretKey: Uint8Array;
  /** Stored envelopes of the auction keyed by submission id; sealed is read only for those without kept shares. */
  envelopes: Map<string, StoredEnvelope>;
  /** The share vector the intake kept for an envelope, as a copy, or undefined. */
  keptShares(envelope: OpenedFrom): Uint32Array | undefined;
}

/** The columns of a stored envelope that a run reads; sealed only where the intake kept no opened shares. */
export type StoredEnvelope = Pick<Envelope, 'submissionId' | 'bidderId' | 'kind' | 'hash' | 'wonBitKey'> & { sealed?: Envelope['sealed'] };

/** Opens the listed bids (and the sealed reserve, if named) into a PartyAuctionInput. */
export function buildRunInputs(context: InputContext, bids: BidRefDto[], reserveSubmissionId: string | null): RunInputs {
  const opened: Uint32Array[] = [];
  const track = (input: BidInput): BidInput => {
    if (input instanceof Uint32Array) {
      opened.push(input);
    }
    return input;
  };

  const wipe = () => opened.forEach((shares) => shares.fill(0));
  const input: PartyAuctionInput = { bids: [] };
  try {
    input.bids = bids.map((bid) => track(bidInput(context, bid)));
    if (reserveSubmissionId) {
      input.sealedReserve = track(reserveInput(context, reserveSubmissionId));
    }
  } catch (error) {
    wipe();
    throw error;
  }
  const wonBitKeys = bids.map((bid) => context.envelopes.get(bid.submissionId)?.wonBitKey ?? null);
  return { input, wonBitKeys, wipe };
}

function bidInput(context: InputContext, bid: BidRefDto): BidInput {
  if (bid.excluded) {
    return { rejected: `excluded by the operator: ${bid.excluded}` };
  }
  const envelope = context.envelopes.get(bid.submissionId);
  if (!envelope || envelope.kind !== 'bid') {
    return { rejected: `no bid envelope ${bid.submissionId} was received` };
  }
  if (envelope.bidderId !== bid.bidderId) {
    return { rejected: `envelope ${bid.submissionId} belongs to another bidder` };
  }
  const pinned = bid.envelopeHashes?.[context.evaluator - 1];
  if (pinned !== undefined && pinned !== envelope.hash) {
    return { rejected: `envelope ${bid.submissionId} differs from the one the orchestrator pinned` };
  }
  return open(context, envelope);
}

function reserveInput(context: InputContext, submissionId: string): BidInput {
  const envelope = context.envelopes.get(submissionId);
  if (!envelope || envelope.kind !== 'reserve') {
    return { rejected: `no reserve envelope ${submissionId} was received` };
  }
  return open(context, envelope);
}

function open(context: InputContext, envelope: StoredEnvelope): BidInput {
  const keptShares = context.keptShares(envelope);
  if (keptShares) {
    return keptShares;
  }
  if (envelope.sealed === null || envelope.sealed === undefined) {
    return { rejected: `envelope ${envelope.submissionId} was erased` };
  }
  const binding = {
    auctionId: context.auctionId,
    bidderId: envelope.bidderId,
    submissionId: envelope.submissionId,
    evaluator: context.evaluator,
    wonBitKey: envelope.wonBitKey,
  };
  try {
    return openEnvelope(envelope.sealed, context.sealingSecretKey, binding, { shares: context.bits, modulus: P });
  } catch (error) {
    if (error instanceof SealedBoxError) {
      return { rejected: `envelope ${envelope.submissionId} failed to open: ${error.message}` };
    }
    throw error;
  }
}

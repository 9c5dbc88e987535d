/**
 * The sealbid SDK for bidders and operators. It uses only fetch and Web
 * Crypto randomness, so it runs in browsers and in Node 20 or later.
 */
export { AmountError, formatMinorUnits, toMinorUnits, type AmountFormat } from './amount.js';
export { BidderClient, type BidderClientOptions, type SubmittedBid } from './bidder-client.js';
export { ReceiptVerificationError, SealbidApiError, VerificationError } from './errors.js';
export { ApiTransport, type FetchFunction } from './http.js';
export { OperatorClient, RESERVE_BIDDER_ID, type AuctionSettingsInput, type OperatorClientOptions } from './operator-client.js';
export { sealAmount, type SealedEnvelope, type SealTarget } from './seal.js';
export {
  watchAuction,
  watchUntilFinal,
  type AuctionEventMessage,
  type FinalState,
  type WatchOptions,
  type WatchUntilFinalOptions,
  type WebSocketConstructor,
} from './events.js';
export type * from './types.js';
export {
  checkEvaluatorSet,
  checkReceipts,
  checkResultSignatures,
  verifyReceipts,
  verifyResultSignatures,
  type ReceiptCheck,
  type SignatureCheck,
} from './verify.js';

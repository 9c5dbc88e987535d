/**
 * The sealbid SDK for bidders and operators. It runs in browsers and in
 * Node 20 or later: it sends requests through fetch, or through Node's http
 * module where that is available, and draws randomness from Web Crypto.
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

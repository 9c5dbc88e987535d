/** Browser-safe cryptography shared by bidders, the orchestrator and evaluators. */
export { fromBase64Url, toBase64Url } from './base64url.js';
export { canonicalEncode, canonicalMessage, type CanonicalValue } from './canonical.js';
export { curves, nativeCurves, nobleCurves, useCurveBackend, type CurveBackend } from './curves.js';
export {
  envelopeAssociatedData,
  EnvelopeError,
  envelopeHash,
  MAX_ENVELOPE_SHARES,
  openEnvelope,
  sealEnvelope,
  type Envelope,
  type EnvelopeBinding,
  type OpenEnvelopeOptions,
} from './envelope.js';
export { generateSealingKeyPair, generateSigningKeyPair, sealingPublicKey, signingPublicKey, type KeyPair } from './keys.js';
export { parseSealedBox, SealedBoxError, type SealedBox } from './sealed-box.js';
export {
  RECEIPT_DOMAIN,
  RESULT_DOMAIN,
  signReceipt,
  signResult,
  signStatement,
  toPublicOutcome,
  verifyReceipt,
  verifyResult,
  verifyStatement,
  type PublicOutcome,
  type Receipt,
  type ResultStatement,
} from './signing.js';
export { openWonBit, sealWonBit, type WonBitBinding } from './won-bit.js';
export {
  openingDigest,
  openingSalt,
  signOpeningTranscript,
  verifyOpeningTranscript,
  type OpeningRecord,
  type OpeningTranscript,
} from './opening-transcript.js';
export {
  signSubmissionSetAgreement,
  submissionSetHash,
  verifySubmissionSetAgreement,
  type SubmissionRef,
  type SubmissionSet,
  type SubmissionSetAgreement,
} from './submission-set.js';

/**
 * Messages for every way a bid or a check can fail, each with what happened
 * and what the bidder should do. Pure, so tests can run them in Node.
 */
import { AmountError } from '../client/amount.js';
import { ReceiptVerificationError, SealbidApiError, VerificationError } from '../client/errors.js';

/** A failure as the page shows it. */
export interface FailureMessage {
  /** Stable key, also used by tests and styles: amount, closed, evaluator, token, ... */
  kind: string;
  title: string;
  detail: string;
  /** Next step for the bidder. */
  action: string;
}

const KEEP_EARLIER = 'Any bid you submitted earlier still stands.';

/** Describes an error raised while sealing, submitting or checking a bid. */
export function describeFailure(error: unknown): FailureMessage {
  if (error instanceof AmountError) {
    return {
      kind: 'amount',
      title: 'This amount is not a valid bid',
      detail: capitalize(error.message),
      action: 'Nothing was sent. Correct the amount and submit again.',
    };
  }
  if (error instanceof ReceiptVerificationError) {
    return {
      kind: 'receipts',
      title: 'The receipts did not verify',
      detail: capitalize(error.message),
      action: 'Do not rely on this bid. Download the receipts below and send them to the operator.',
    };
  }
  if (error instanceof VerificationError) {
    return {
      kind: 'verification',
      title: 'A signature or key did not verify',
      detail: capitalize(error.message),
      action: 'Do not trust this response. Contact the operator before you bid again.',
    };
  }
  if (error instanceof SealbidApiError) {
    return describeApiError(error);
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'unexpected', title: 'Something went wrong', detail: capitalize(message), action: `Reload the page and try again. ${KEEP_EARLIER}` };
}

function describeApiError(error: SealbidApiError): FailureMessage {
  const detail = capitalize(serverReason(error));
  switch (error.status) {
    case 0:
      return { kind: 'offline', title: 'The auction server cannot be reached', detail, action: `Check your network connection and submit again. ${KEEP_EARLIER}` };
    case 401:
      return { kind: 'token', title: 'Your bidder token was not accepted', detail, action: 'Ask the operator for a new bidder link for this auction.' };
    case 403:
      return { kind: 'excluded', title: 'You may not bid in this auction', detail, action: 'Contact the operator if you think this is a mistake.' };
    case 404:
      return { kind: 'not-found', title: 'Not found', detail, action: 'Check the link you were given.' };
    case 409:
      return {
        kind: 'closed',
        title: 'The auction is not open for bids',
        detail,
        action: 'Bids are no longer accepted. A bid that was accepted before the close still counts.',
      };
    case 422:
      return {
        kind: 'invalid-envelope',
        title: 'The evaluators rejected the sealed bid, so it was not recorded',
        detail,
        action: `${KEEP_EARLIER} Reload the page and submit again. If it happens again, tell the operator: this page may be out of date or altered.`,
      };
    case 429:
      return { kind: 'busy', title: 'Too many requests', detail, action: `Wait a minute and submit again. ${KEEP_EARLIER}` };
    case 502:
      return describeEvaluatorFailure(detail);
    default:
      return { kind: 'server', title: `The server rejected the request (HTTP ${error.status})`, detail, action: `Reload the page and try again. ${KEEP_EARLIER}` };
  }
}

function describeEvaluatorFailure(detail: string): FailureMessage {
  const party = /evaluator (\d+)/i.exec(detail)?.[1];
  const evaluator = party === undefined ? 'An evaluator' : `Evaluator ${party}`;
  const unreachable = /ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|fetch failed|timed out|timeout|unreachable/i.test(detail);
  return {
    kind: 'evaluator',
    title: `${evaluator} ${unreachable ? 'could not be reached' : 'did not confirm the bid'}, so the bid was not recorded`,
    detail,
    action:
      `${KEEP_EARLIER} Wait a minute and submit again. If it keeps failing, tell the operator that ` +
      `${party === undefined ? 'an evaluator' : `evaluator ${party}`} is not responding: no bid can be recorded until every evaluator confirms it.`,
  };
}

// The SDK prefixes "POST /auctions/... failed with HTTP 409: " to the server's reason; the bidder needs only the reason.
function serverReason(error: SealbidApiError): string {
  return error.message.replace(/^[A-Z]+ \S+ failed(?: with HTTP \d+)?: /, '');
}

function capitalize(text: string): string {
  return text.length === 0 ? text : text[0].toUpperCase() + text.slice(1);
}

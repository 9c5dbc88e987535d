import { AmountError } from '../../src/client/amount.js';
import { ReceiptVerificationError, SealbidApiError, VerificationError } from '../../src/client/errors.js';
import { describeFailure } from '../../src/web/messages.js';

const PATH = 'POST /auctions/0b9d8c5e-6a43-4e36-9f0e-2d1f7c8b9a10/submissions';

describe('describeFailure', () => {
  test('amount error says nothing was sent', () => {
    const failure = describeFailure(new AmountError('bid "1.234" has 3 decimal places; this auction allows at most 2'));

    expect(failure.kind).toBe('amount');
    expect(failure.detail).toBe('Bid "1.234" has 3 decimal places; this auction allows at most 2');
    expect(failure.action).toContain('Nothing was sent');
  });

  test('closed auction keeps earlier bids', () => {
    const failure = describeFailure(new SealbidApiError(409, 'state-conflict', `${PATH} failed with HTTP 409: auction x is closed; sealed submissions are accepted only while it is open`));

    expect(failure.kind).toBe('closed');
    expect(failure.detail).toBe('Auction x is closed; sealed submissions are accepted only while it is open');
    expect(failure.action).toContain('accepted before the close still counts');
  });

  test('unreachable evaluator is named', () => {
    const message = `${PATH} failed with HTTP 502: submission rejected: evaluator 2 POST /v1/auctions/x/envelopes failed: ECONNREFUSED`;
    const failure = describeFailure(new SealbidApiError(502, 'evaluator-failure', message));

    expect(failure.kind).toBe('evaluator');
    expect(failure.title).toBe('Evaluator 2 could not be reached, so the bid was not recorded');
    expect(failure.detail.startsWith('Submission rejected')).toBe(true);
    expect(failure.action).toContain('Any bid you submitted earlier still stands');
    expect(failure.action).toContain('evaluator 2 is not responding');
  });

  test('evaluator refusal without a party', () => {
    const failure = describeFailure(new SealbidApiError(502, 'evaluator-failure', `${PATH} failed with HTTP 502: receipt signature invalid`));

    expect(failure.title).toBe('An evaluator did not confirm the bid, so the bid was not recorded');
    expect(failure.action).toContain('an evaluator is not responding');
  });

  test.each([
    [0, 'offline', `${PATH} failed: cannot reach http://127.0.0.1:1 (fetch failed)`, 'Cannot reach http://127.0.0.1:1 (fetch failed)'],
    [401, 'token', `${PATH} failed with HTTP 401: invalid bidder token`, 'Invalid bidder token'],
    [403, 'excluded', `${PATH} failed with HTTP 403: bidder b is excluded`, 'Bidder b is excluded'],
    [422, 'invalid-envelope', `${PATH} failed with HTTP 422: evaluator 1 rejected the envelope`, 'Evaluator 1 rejected the envelope'],
    [429, 'busy', `${PATH} failed with HTTP 429: slow down`, 'Slow down'],
    [500, 'server', `${PATH} failed with HTTP 500: internal server error`, 'Internal server error'],
  ])('HTTP %i maps to %s', (status, kind, message, detail) => {
    const failure = describeFailure(new SealbidApiError(status, 'code', message));

    expect(failure.kind).toBe(kind);
    expect(failure.detail).toBe(detail);
    expect(failure.action.length).toBeGreaterThan(10);
  });

  test('receipt failure says not to rely on the bid', () => {
    const failure = describeFailure(new ReceiptVerificationError('receipts did not verify', []));

    expect(failure.kind).toBe('receipts');
    expect(failure.action).toContain('Do not rely on this bid');
  });

  test('other verification failure says not to trust', () => {
    const failure = describeFailure(new VerificationError('evaluator 1 keys differ'));

    expect(failure.kind).toBe('verification');
    expect(failure.detail).toBe('Evaluator 1 keys differ');
  });

  test('unknown error is still explained', () => {
    const failure = describeFailure('boom');

    expect(failure.kind).toBe('unexpected');
    expect(failure.detail).toBe('Boom');
    expect(failure.action).toContain('Reload the page');
  });
});

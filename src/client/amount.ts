/**
 * Amounts as people write them (decimal strings such as "1250.50") and as
 * the protocol computes on them (non-negative integers in minor units below
 * 2^k). Shared by the bidder SDK and the orchestrator, so it is browser-safe.
 */

/** The format an auction puts on amounts. */
export interface AmountFormat {
  /** Bid width k in bits: minor-unit amounts must be below 2^bits. */
  bits: number;
  /** Digits allowed after the decimal point. */
  decimals: number;
}

/** Error for an amount that is not a valid bid for the auction; the message states how to fix it. */
export class AmountError extends RangeError {
  override readonly name = 'AmountError';
}

const DECIMAL_PATTERN = /^(\d+)(?:\.(\d+))?$/;

/**
 * Converts a decimal string in major units to an integer in minor units.
 * @param label what the amount is, for the message ("bid", "reserve").
 * @throws AmountError when the text is not a plain decimal number, is
 *   negative, has more decimal places than allowed or is out of range.
 */
export function toMinorUnits(text: string, format: AmountFormat, label = 'amount'): bigint {
  if (typeof text !== 'string') {
    throw new AmountError(`${label} must be a decimal string such as "12.50", got ${typeof text}`);
  }
  const trimmed = text.trim();
  if (trimmed === '') {
    throw new AmountError(`${label} is empty: write a decimal number such as "12.50"`);
  }
  if (/^-\s*[\d.]/.test(trimmed)) {
    throw new AmountError(`${label} ${JSON.stringify(text)} is negative: amounts must be zero or more`);
  }

  const match = DECIMAL_PATTERN.exec(trimmed);
  if (match === null) {
    throw new AmountError(
      `${label} ${JSON.stringify(text)} is not a decimal number: use digits with an optional decimal point, such as "12.50"`,
    );
  }
  const [, whole, fraction = ''] = match;
  if (fraction.length > format.decimals) {
    throw new AmountError(
      `${label} ${JSON.stringify(text)} has ${plural(fraction.length, 'decimal place')}; this auction allows at most ${format.decimals}`,
    );
  }

  const minor = BigInt(whole + fraction.padEnd(format.decimals, '0'));
  const limit = 1n << BigInt(format.bits);
  if (minor >= limit) {
    const largest = formatMinorUnits(limit - 1n, format.decimals);
    throw new AmountError(
      `${label} ${JSON.stringify(text)} is out of range: this auction accepts at most ${largest} (${format.bits}-bit bids)`,
    );
  }
  return minor;
}

/**
 * Writes an amount in minor units as a decimal string with exactly `decimals` places.
 * @throws AmountError for a negative amount.
 */
export function formatMinorUnits(minor: bigint, decimals: number): string {
  if (minor < 0n) {
    throw new AmountError('amounts in minor units must not be negative');
  }
  const digits = minor.toString(10);
  if (decimals === 0) {
    return digits;
  }
  const padded = digits.padStart(decimals + 1, '0');
  return `${padded.slice(0, -decimals)}.${padded.slice(-decimals)}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

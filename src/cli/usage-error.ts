/** Error for a wrong command line; main prints its message with the usage and exits with code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Parses a whole number option.
 * @throws UsageError naming the option and the allowed range.
 */
export function parseIntegerOption(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) {
    return fallback;
  }
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`--${name} must be a whole number ${range}, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/**
 * Checks that an option has one of the allowed values.
 * @throws UsageError listing the allowed values.
 */
export function parseChoice<T extends string>(name: string, text: string | undefined, choices: readonly T[], fallback: T): T {
  if (text === undefined) {
    return fallback;
  }
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(text)}`);
  }
  return text as T;
}

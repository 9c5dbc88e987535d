/**
 * Error type and problem collector shared by the orchestrator's and the
 * evaluator's configuration loaders, so that start-up reports every invalid
 * setting at once instead of stopping at the first.
 */

/** Error for missing or invalid settings. Each problem names the variable and what is allowed. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  /** One sentence per problem, in the order the settings were checked. */
  readonly problems: readonly string[];

  /** Takes one problem or several, and the message lists them one per line. */
  constructor(problems: string | readonly string[]) {
    const list = typeof problems === 'string' ? [problems] : [...problems];
    super(list.join('\n'));
    this.problems = list;
  }
}

/** Problems found while reading settings, thrown together as one ConfigError. */
export class ConfigProblems {
  private readonly found: string[] = [];

  /**
   * Runs read and returns its value. When read throws a ConfigError, records
   * its problems and returns fallback. Any other error propagates.
   */
  read<T, F>(read: () => T, fallback: F): T | F {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof ConfigError)) {
        throw error;
      }
      this.found.push(...error.problems);
      return fallback;
    }
  }

  /** Records message unless condition holds, and returns condition. */
  check(condition: boolean, message: string): boolean {
    if (!condition) {
      this.found.push(message);
    }
    return condition;
  }

  /**
   * Returns value when no problem was recorded.
   * @throws ConfigError listing every recorded problem.
   */
  valueOrThrow<T>(value: T | undefined): T {
    if (this.found.length > 0) {
      throw new ConfigError(this.found);
    }
    if (value === undefined) {
      // Reads return undefined only as the fallback of a recorded problem.
      throw new Error('a setting is undefined although no configuration problem was recorded');
    }
    return value;
  }
}

/**
 * Formats an error as its name and message for stderr or a log. A ConfigError
 * with several problems becomes a count followed by one indented line per problem.
 */
export function describeError(error: Error): string {
  if (!(error instanceof ConfigError) || error.problems.length < 2) {
    return `${error.name}: ${error.message}`;
  }
  const lines = error.problems.map((problem) => `  ${problem}`);
  return [`${error.name}: ${error.problems.length} invalid settings:`, ...lines].join('\n');
}

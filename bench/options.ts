/** Option parsing shared by the benchmark commands. */

/**
 * Reads the options, or prints the usage for --help, or prints the error
 * and a pointer to --help with exit code 2. Returns null when the command
 * should not run.
 */
export function readCommandOptions<Options>(usage: string, command: string, read: () => Options): Options | null {
  if (process.argv.includes('--help')) {
    console.log(usage);
    return null;
  }
  try {
    return read();
  } catch (error) {
    console.error(`${(error as Error).message}\nRun ${command} -- --help for the options.`);
    process.exitCode = 2;
    return null;
  }
}

/**
 * Parses a comma-separated list of whole numbers, each at least min.
 * @throws Error naming the option and the item that is not such a number.
 */
export function numberList(text: string, name: string, min: number): number[] {
  return text.split(',').map((item) => {
    const value = Number(item);
    if (item.trim() === '' || !Number.isInteger(value) || value < min) {
      throw new Error(`--${name} takes whole numbers of at least ${min}, separated by commas; got "${item}"`);
    }
    return value;
  });
}

/**
 * Parses one whole number of at least 1.
 * @throws Error naming the option and the text.
 */
export function positiveInteger(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`--${name} must be a whole number of at least 1, got "${text}"`);
  }
  return value;
}

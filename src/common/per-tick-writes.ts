/**
 * Gathers the writes of one turn of the event loop into one system call.
 *
 * A service logs a line for each accepted envelope and each step of an
 * auction, and on Linux every write to a pipe or file is its own write(2).
 * The stream is corked at its first write in a turn and uncorked on
 * process.nextTick, so a burst of lines leaves in one writev(2).
 */

/** The part of a Node writable stream that corking uses. */
export interface CorkableWritable {
  write: (...args: never[]) => boolean;
  cork(): void;
  uncork(): void;
  readonly writableCorked: number;
}

/**
 * Makes the stream's writes leave once per turn. Lines held when the process
 * exits are written by an exit listener, because pipes and files are written
 * synchronously on Linux. NOTE: lines of the last turn are lost if the
 * process is killed with SIGKILL, as any buffered output would be.
 */
export function writePerTick(stream: CorkableWritable): void {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  let corked = false;

  const flush = (): void => {
    corked = false;
    stream.uncork();
  };

  stream.write = ((...args: unknown[]) => {
    if (!corked) {
      corked = true;
      stream.cork();
      process.nextTick(flush);
    }
    return write(...args);
  }) as CorkableWritable['write'];

  process.once('exit', () => {
    while (stream.writableCorked > 0) {
      stream.uncork();
    }
  });
}

/** Makes the writes to stdout and stderr leave once per turn. */
export function writeLogsPerTick(): void {
  writePerTick(process.stdout);
  writePerTick(process.stderr);
}

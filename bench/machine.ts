import os from 'node:os';

/** Returns a one-line description of the machine a benchmark ran on. */
export function describeMachine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  const memory = (os.totalmem() / 2 ** 30).toFixed(0);
  return `${cpus.length} x ${model}, ${memory} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`;
}

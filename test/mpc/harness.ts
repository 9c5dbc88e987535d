import { MemoryNetwork, PartyRuntime, type Transport } from '../../src/mpc/index.js';

/** Runs program at n parties over one in-memory network and returns each party's result. */
export async function runParties<T>(
  parties: number,
  degree: number,
  program: (runtime: PartyRuntime) => Promise<T>,
  options: { runId?: string; wrap?: (party: number, transport: Transport) => Transport; timeoutMs?: number } = {},
): Promise<T[]> {
  const network = new MemoryNetwork();
  const runId = options.runId ?? 'test-run';
  const runtimes = Array.from({ length: parties }, (_, i) => {
    const base = network.transport(i + 1);
    const transport = options.wrap ? options.wrap(i + 1, base) : base;
    return new PartyRuntime({ runId, party: i + 1, parties, degree, transport, timeoutMs: options.timeoutMs ?? 5000 });
  });
  try {
    return await Promise.all(runtimes.map((runtime) => program(runtime)));
  } finally {
    runtimes.forEach((runtime) => runtime.close());
  }
}

import {
  MemoryNetwork,
  PartyRuntime,
  reconstructSecret,
  shareSecrets,
  type RandomSource,
  type Transport,
} from '../../src/mpc/index.js';

export interface PartyOptions {
  runId?: string;
  /** Replaces the transport of a party, for example to drop, alter or repeat messages. */
  wrap?: (party: number, transport: Transport) => Transport;
  timeoutMs?: number;
  /** The random source of each party; the platform CSPRNG when unset. */
  random?: (party: number) => RandomSource;
}

function createRuntimes(parties: number, degree: number, options: PartyOptions): PartyRuntime[] {
  const network = new MemoryNetwork();
  const runId = options.runId ?? 'test-run';

  return Array.from({ length: parties }, (_, i) => {
    const party = i + 1;
    const base = network.transport(party);
    const transport = options.wrap ? options.wrap(party, base) : base;
    const random = options.random?.(party);
    const timeoutMs = options.timeoutMs ?? 5000;
    return new PartyRuntime({ runId, party, parties, degree, transport, timeoutMs, random });
  });
}

/** Runs program at n parties over one in-memory network and returns each party's result. */
export async function runParties<T>(
  parties: number,
  degree: number,
  program: (runtime: PartyRuntime) => Promise<T>,
  options: PartyOptions = {},
): Promise<T[]> {
  const runtimes = createRuntimes(parties, degree, options);
  try {
    return await Promise.all(runtimes.map((runtime) => program(runtime)));
  } finally {
    runtimes.forEach((runtime) => runtime.close());
  }
}

/**
 * Runs program at n parties like runParties, but waits for every party to
 * finish or fail and returns each party's settled result, so a test can check
 * what every single party did.
 */
export async function settleParties<T>(
  parties: number,
  degree: number,
  program: (runtime: PartyRuntime) => Promise<T>,
  options: PartyOptions = {},
): Promise<PromiseSettledResult<T>[]> {
  const runtimes = createRuntimes(parties, degree, options);
  try {
    return await Promise.allSettled(runtimes.map((runtime) => program(runtime)));
  } finally {
    runtimes.forEach((runtime) => runtime.close());
  }
}

/** Shares secrets at n parties with degree t; returns one vector per party (index 0 is party 1). */
export function shareAt(secrets: ArrayLike<number>, parties: number, degree: number, random?: RandomSource): Uint32Array[] {
  return shareSecrets(Uint32Array.from(secrets), parties, degree, random);
}

/**
 * Shares the bits of every value (width bits each, least significant first)
 * as one flat batch: element j * width + i is bit i of value j.
 */
export function shareBits(values: readonly bigint[], width: number, parties: number, degree: number): Uint32Array[] {
  const flat = new Uint32Array(values.length * width);
  values.forEach((value, j) => {
    for (let i = 0; i < width; i++) {
      flat[j * width + i] = Number((value >> BigInt(i)) & 1n);
    }
  });
  return shareSecrets(flat, parties, degree);
}

/**
 * Reconstructs every element from the vectors of all parties. Because every
 * share takes part, this also checks that each element is a sharing of the
 * given degree, and throws when one is not.
 */
export function openAll(vectors: readonly Uint32Array[], degree: number): number[] {
  const length = vectors[0].length;
  for (const vector of vectors) {
    expect(vector.length).toBe(length);
  }

  const values: number[] = [];
  for (let i = 0; i < length; i++) {
    const shares = vectors.map((vector, j) => ({ party: j + 1, share: vector[i] }));
    values.push(reconstructSecret(shares, degree));
  }
  return values;
}

/** Returns the degree t = (n - 1) / 2 of an odd party count n, the largest that n supports. */
export function degreeFor(parties: number): number {
  return Math.floor((parties - 1) / 2);
}

/**
 * A local sealbid deployment: one orchestrator and n evaluators, each a
 * separate process on 127.0.0.1 with its own data folder, embedded database,
 * port and keys. The CLI's cluster and simulate commands, the tests, the
 * demo and the benchmarks start clusters through startCluster.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describeKeys, generateEvaluatorKeys, readKeyFile, writeKeyFile } from '../evaluator/keys/index.js';
import { operatorKeyPath } from '../orchestrator/config/orchestrator-config.js';
import { temporaryRoot } from './temporary-root.js';
import { ServiceProcess, type ExitListener, type Launcher, type OutputListener, type ServiceListeners } from './service-process.js';

export type { Launcher, OutputListener } from './service-process.js';

export interface ClusterOptions {
  /** Number of evaluators n, at least 3 (default 3). */
  evaluators?: number;
  /** Shamir degree t (default: the largest t with n >= 2t + 1). */
  degree?: number;
  /** Root data folder; each service gets a subfolder. Default: a new temporary folder, removed by stop(). */
  dataDir?: string;
  /** Orchestrator port; evaluator i listens on basePort + i. Default: free ports. */
  basePort?: number;
  /** Extra environment for every service, such as timeouts. */
  env?: Record<string, string>;
  /** How to start the CLI in child processes; the default fits both the build and the sources. */
  launcher?: Launcher;
  onOutput?: OutputListener;
  /** Called when a ready service exits without stop() or kill() of the cluster, as after a crash. */
  onExit?: ExitListener;
  /** Time allowed for each service to become ready, in milliseconds (default 60000). */
  readyTimeoutMs?: number;
  /**
   * Returns the WebSocket URL at which evaluator `dialer` reaches evaluator
   * `listener`, which listens on `port`. The default is the listener's own
   * /v1/peers endpoint; the cluster benchmark routes the peer links through a
   * proxy that delays them.
   */
  peerUrl?: PeerUrl;
  /**
   * Extra settings for single services, keyed by service name ("orchestrator",
   * "evaluator-1", ...), such as a fault-injecting module for one evaluator in a test.
   */
  services?: Record<string, ServiceOverride>;
}

/** Settings that apply to one service only. */
export interface ServiceOverride {
  /** Environment added after the cluster-wide env. */
  env?: Record<string, string>;
  /** Node options added after the launcher's, such as ['--import', '/path/to/module.ts']. */
  execArgv?: string[];
}

/** Maps a peer link (dialing party, listening party, listener's port) to the URL the dialer uses. */
export type PeerUrl = (dialer: number, listener: number, port: number) => string;

/** Public facts about one running service. */
export interface ServiceInfo {
  name: string;
  url: string;
  dataDir: string;
  pid: number | undefined;
  logFile: string;
}

/** An evaluator's pinned identity. */
export interface EvaluatorInfo extends ServiceInfo {
  party: number;
  signingKey: string;
  sealingKey: string;
  /** Bearer token the orchestrator sends to this evaluator; for tests and tools on this machine, never printed. */
  orchestratorToken: string;
}

/** A running cluster. */
export interface Cluster {
  orchestratorUrl: string;
  operatorApiKey: string;
  dataDir: string;
  parties: number;
  degree: number;
  orchestrator: ServiceInfo;
  evaluators: EvaluatorInfo[];
  /** Restarts the orchestrator on its data folder. */
  restartOrchestrator(): Promise<void>;
  /** Stops the orchestrator only, such as to inspect its database; restartOrchestrator starts it again. */
  stopOrchestrator(): Promise<void>;
  /** Restarts evaluator `party` on its data folder and keys. */
  restartEvaluator(party: number): Promise<void>;
  /** Kills the orchestrator with SIGKILL, as in a crash; startOrchestrator starts it again. */
  killOrchestrator(): Promise<void>;
  /** Starts a stopped or killed orchestrator on its data folder. */
  startOrchestrator(): Promise<void>;
  /** Kills evaluator `party` with SIGKILL, as in a crash; startEvaluator starts it again. */
  killEvaluator(party: number): Promise<void>;
  /** Starts a stopped or killed evaluator on its data folder and keys, and waits until its peers are connected. */
  startEvaluator(party: number): Promise<void>;
  /** Stops every service (evaluators last) and removes a temporary data folder. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const TOKEN_BYTES = 32;

interface EvaluatorPlan {
  party: number;
  port: number;
  dataDir: string;
  keyFile: string;
  token: string;
  signingKey: string;
  sealingKey: string;
}

/**
 * Starts n evaluators and the orchestrator pinned to their keys, and waits
 * until every service is ready and the evaluators are connected to each other.
 * @throws RangeError for fewer than 3 evaluators; Error when a service does not start.
 */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const parties = options.evaluators ?? 3;
  const degree = options.degree ?? Math.floor((parties - 1) / 2);
  if (!Number.isInteger(parties) || parties < 3 || parties > 64) {
    throw new RangeError(`a cluster needs 3 to 64 evaluators, got ${parties}`);
  }
  if (degree < 1 || parties < 2 * degree + 1) {
    throw new RangeError(`degree t = ${degree} needs t >= 1 and n >= 2t + 1, got n = ${parties}`);
  }

  const ports = await choosePorts(parties + 1, options.basePort);
  const temporary = options.dataDir === undefined;
  const dataDir = resolve(options.dataDir ?? mkdtempSync(join(temporaryRoot(), 'sealbid-cluster-')));
  const launcher = options.launcher ?? defaultLauncher();
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  const baseEnv = serviceEnvironment(options.env);

  const plans = await Promise.all(Array.from({ length: parties }, (_, i) => planEvaluator(i + 1, ports[i + 1], dataDir)));
  const overrides = options.services ?? {};
  const listeners = { onOutput: options.onOutput, onExit: options.onExit };
  const evaluators = plans.map((plan) => {
    const override = overrides[`evaluator-${plan.party}`];
    const env = { ...baseEnv, ...override?.env };
    return evaluatorProcess(plan, plans, parties, degree, env, withArgs(launcher, override), listeners, options.peerUrl);
  });
  const override = overrides.orchestrator;
  const orchestratorEnv = { ...baseEnv, ...override?.env };
  const orchestrator = orchestratorProcess(ports[0], join(dataDir, 'orchestrator'), plans, degree, orchestratorEnv, withArgs(launcher, override), listeners);

  const started: ServiceProcess[] = [];
  const stopAll = async () => {
    await Promise.all(started.map((service) => service.stop()));
  };
  // The orchestrator needs only the evaluators' pinned keys to start, and retries calls to an evaluator
  // that is not up yet, so all services start together and each starts its database at the same time.
  try {
    const starting = [...evaluators, orchestrator].map((service) => service.start(timeoutMs).then(() => started.push(service)));
    // Every start settles first, so a failure cannot leave another service running unnoticed.
    const failed = (await Promise.allSettled(starting)).find((outcome) => outcome.status === 'rejected');
    if (failed !== undefined) {
      throw failed.reason;
    }
    await waitForPeers(plans, timeoutMs);
  } catch (error) {
    await stopAll();
    if (temporary) {
      rmSync(dataDir, { recursive: true, force: true });
    }
    throw error;
  }

  return buildCluster({ dataDir, temporary, parties, degree, plans, evaluators, orchestrator, timeoutMs });
}

/** Exit code of the signal that stopOnSignal is handling, or null before any. */
let signalExitCode: number | null = null;

/**
 * Returns the exit code (130 or 143) while a stopOnSignal handler stops a
 * cluster, or null. The handler exits when the cluster is stopped, so the
 * caller must not exit first.
 */
export function pendingSignalExit(): number | null {
  return signalExitCode;
}

/**
 * Stops the cluster when this process gets SIGINT or SIGTERM, so that its
 * services end and a temporary folder is removed, then exits with 130 or 143
 * as a shell reports those signals. A cluster that is still starting is
 * stopped once its start settles, and a start that fails has already
 * stopped its services and removed its folder. Returns a function that
 * removes the handlers, for a caller that stops the cluster itself.
 */
export function stopOnSignal(cluster: Pick<Cluster, 'stop'> | Promise<Pick<Cluster, 'stop'>>): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    release();
    const code = signal === 'SIGINT' ? 130 : 143;
    signalExitCode = code;
    void Promise.resolve(cluster)
      .then((started) => started.stop(), () => undefined)
      .finally(() => process.exit(code));
  };
  const release = (): void => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return release;
}

/**
 * Starts a cluster as startCluster does, with stopOnSignal from the start on.
 * Returns the cluster and the function that removes the signal handlers.
 * @throws Error as startCluster, after removing the handlers.
 */
export async function startClusterStoppedOnSignal(options: ClusterOptions): Promise<{ cluster: Cluster; release: () => void }> {
  const starting = startCluster(options);
  const release = stopOnSignal(starting);
  try {
    return { cluster: await starting, release };
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * Returns an exit listener for startCluster and a promise that it rejects
 * when a service stops unexpectedly. A command that needs every service,
 * such as the demo, races its work against the promise and so fails at once,
 * naming the service and its last output, in place of waiting for timeouts.
 */
export function failOnServiceExit(command: string): { onExit: ExitListener; failed: Promise<never> } {
  let fail: (error: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  // Nothing waits on the promise once the command's work is done, so a late rejection must not be unhandled.
  failed.catch(() => undefined);

  const onExit: ExitListener = (service, description, _logFile, lastOutput) => {
    const output = lastOutput === '' ? 'It printed nothing.' : `Its last output:\n${lastOutput}`;
    fail(new Error(`${service} stopped unexpectedly (${description}), so ${command} cannot finish: every auction needs all services. ${output}\nRun it again with --verbose to see every service's output as it runs.`));
  };
  return { onExit, failed };
}

function buildCluster(parts: {
  dataDir: string;
  temporary: boolean;
  parties: number;
  degree: number;
  plans: EvaluatorPlan[];
  evaluators: ServiceProcess[];
  orchestrator: ServiceProcess;
  timeoutMs: number;
}): Cluster {
  const { orchestrator, evaluators, plans } = parts;
  const info = (service: ServiceProcess): ServiceInfo => ({
    name: service.spec.name,
    url: service.spec.url,
    dataDir: service.spec.dataDir,
    pid: service.pid,
    logFile: service.logFile,
  });

  const cluster: Cluster = {
    orchestratorUrl: orchestrator.spec.url,
    operatorApiKey: readFileSync(operatorKeyPath(orchestrator.spec.dataDir), 'utf8').trim(),
    dataDir: parts.dataDir,
    parties: parts.parties,
    degree: parts.degree,
    orchestrator: info(orchestrator),
    evaluators: evaluators.map((service, index) => ({
      ...info(service),
      party: index + 1,
      signingKey: plans[index].signingKey,
      sealingKey: plans[index].sealingKey,
      orchestratorToken: plans[index].token,
    })),
    async restartOrchestrator() {
      await orchestrator.restart(parts.timeoutMs);
      cluster.orchestrator = info(orchestrator);
    },
    async stopOrchestrator() {
      await orchestrator.stop();
    },
    async restartEvaluator(party: number) {
      const service = evaluatorService(evaluators, party);
      await service.restart(parts.timeoutMs);
      cluster.evaluators[party - 1].pid = service.pid;
      await waitForPeers(plans, parts.timeoutMs);
    },
    async killOrchestrator() {
      await orchestrator.kill();
    },
    async startOrchestrator() {
      await orchestrator.start(parts.timeoutMs);
      cluster.orchestrator = info(orchestrator);
    },
    async killEvaluator(party: number) {
      await evaluatorService(evaluators, party).kill();
    },
    async startEvaluator(party: number) {
      const service = evaluatorService(evaluators, party);
      await service.start(parts.timeoutMs);
      cluster.evaluators[party - 1].pid = service.pid;
      await waitForPeers(plans, parts.timeoutMs);
    },
    async stop() {
      await orchestrator.stop();
      await Promise.all(evaluators.map((service) => service.stop()));
      if (parts.temporary) {
        rmSync(parts.dataDir, { recursive: true, force: true });
      }
    },
  };
  return cluster;
}

function evaluatorService(evaluators: ServiceProcess[], party: number): ServiceProcess {
  const service = evaluators[party - 1];
  if (service === undefined) {
    throw new RangeError(`no evaluator ${party}: the cluster has evaluators 1 to ${evaluators.length}`);
  }
  return service;
}

function withArgs(launcher: Launcher, override: ServiceOverride | undefined): Launcher {
  return override?.execArgv === undefined ? launcher : { ...launcher, execArgv: [...launcher.execArgv, ...override.execArgv] };
}

async function planEvaluator(party: number, port: number, root: string): Promise<EvaluatorPlan> {
  const dataDir = join(root, `evaluator-${party}`);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const keyFile = join(dataDir, 'evaluator-keys.json');
  // A kept data folder keeps its keys, so its stored receipts stay verifiable.
  const keys = existsSync(keyFile) ? readKeyFile(keyFile) : generateEvaluatorKeys();
  if (!existsSync(keyFile)) {
    writeKeyFile(keyFile, keys);
  }
  const described = describeKeys(keys);
  return {
    party,
    port,
    dataDir,
    keyFile,
    token: randomBytes(TOKEN_BYTES).toString('base64url'),
    signingKey: described.signingPublicKey,
    sealingKey: described.sealingPublicKey,
  };
}

function evaluatorProcess(
  plan: EvaluatorPlan,
  plans: EvaluatorPlan[],
  parties: number,
  degree: number,
  baseEnv: Record<string, string>,
  launcher: Launcher,
  listeners: ServiceListeners,
  peerUrl: PeerUrl = (_dialer, _listener, port) => `ws://${HOST}:${port}/v1/peers`,
): ServiceProcess {
  const peers = plans
    .filter((peer) => peer.party !== plan.party)
    .map((peer) => ({ index: peer.party, url: peerUrl(plan.party, peer.party, peer.port), signingPublicKey: peer.signingKey }));
  const env = {
    ...baseEnv,
    SEALBID_EVALUATOR_INDEX: String(plan.party),
    SEALBID_PARTIES: String(parties),
    SEALBID_DEGREE: String(degree),
    SEALBID_HOST: HOST,
    SEALBID_PORT: String(plan.port),
    SEALBID_DATA_DIR: plan.dataDir,
    SEALBID_KEY_FILE: plan.keyFile,
    SEALBID_PEERS: JSON.stringify(peers),
    SEALBID_ORCHESTRATOR_TOKEN: plan.token,
  };
  const url = `http://${HOST}:${plan.port}`;
  const spec = { name: `evaluator-${plan.party}`, args: ['evaluator'], env, dataDir: plan.dataDir, url, readyPath: '/v1/identity' };
  return new ServiceProcess(spec, launcher, listeners);
}

function orchestratorProcess(
  port: number,
  dataDir: string,
  plans: EvaluatorPlan[],
  degree: number,
  baseEnv: Record<string, string>,
  launcher: Launcher,
  listeners: ServiceListeners,
): ServiceProcess {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const evaluators = plans.map((plan) => ({
    party: plan.party,
    url: `http://${HOST}:${plan.port}`,
    signingKey: plan.signingKey,
    sealingKey: plan.sealingKey,
    token: plan.token,
  }));
  const env = {
    ...baseEnv,
    SEALBID_HOST: HOST,
    SEALBID_PORT: String(port),
    SEALBID_DATA_DIR: dataDir,
    SEALBID_DEGREE: String(degree),
    SEALBID_EVALUATORS: JSON.stringify(evaluators),
  };
  const spec = { name: 'orchestrator', args: ['orchestrator'], env, dataDir, url: `http://${HOST}:${port}`, readyPath: '/v1/health' };
  return new ServiceProcess(spec, launcher, listeners);
}

// Services must not share one PostgreSQL database or pick up the caller's keys and ports.
// A local cluster serves one user whose simulations send thousands of requests from one
// address, so its rate limits are off unless the caller sets them.
function serviceEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith('SEALBID_') && name !== 'DATABASE_URL') {
      env[name] = value;
    }
  }
  return { ...env, SEALBID_RATE_LIMIT: '0', ...extra };
}

async function waitForPeers(plans: EvaluatorPlan[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const states = await Promise.all(plans.map((plan) => peerHealth(plan.port)));
    if (states.every((state) => state === 'ok')) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the evaluators did not connect to each other within ${timeoutMs / 1000} s; see their service.log files`);
}

async function peerHealth(port: number): Promise<string> {
  try {
    const response = await fetch(`http://${HOST}:${port}/v1/identity`, { signal: AbortSignal.timeout(2_000) });
    const body = (await response.json()) as { health?: { status?: string } };
    return body.health?.status ?? 'unknown';
  } catch {
    return 'unreachable';
  }
}

async function choosePorts(count: number, basePort?: number): Promise<number[]> {
  if (basePort !== undefined) {
    const ports = Array.from({ length: count }, (_, index) => basePort + index);
    // A service whose port is taken exits, but the program on that port would pass its readiness check.
    for (const port of ports) {
      await checkPortFree(port);
    }
    return ports;
  }
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await freePort();
    if (!ports.includes(port)) {
      ports.push(port);
    }
  }
  return ports;
}

/** @throws Error naming the port when a program already listens on it. */
function checkPortFree(port: number): Promise<void> {
  return new Promise((resolveFree, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? 'is already in use' : `cannot be used (${error.code ?? error.message})`;
      reject(new Error(`port ${port} on ${HOST} ${reason}, so the cluster cannot start there: stop the program that uses it or choose another base port (sealbid cluster --port)`));
    });
    server.listen(port, HOST, () => server.close(() => resolveFree()));
  });
}

// NOTE: another program may take the port between this check and the service's bind; the service then fails to start.
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Node flags of every service process of a local cluster. The services share
 * the machine's cores, and V8's parallel and concurrent garbage collection
 * then costs more CPU than it saves: an evaluator marks its whole heap, with
 * every kept share vector, many times per run. With one GC thread the
 * evaluators of a 30,000-bid run used about 30 % less CPU in the MPC (see
 * docs/benchmarks.md). A service on a host of its own may leave it out.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--single-threaded-gc'];

/**
 * Returns how to start the CLI in a child process: the built main.js beside
 * this file, or, when this file runs from TypeScript sources, main.ts with
 * the SWC loader in scripts/.
 */
export function defaultLauncher(): Launcher {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const root = resolve(dirname(here), '..', '..');
    return { execArgv: [...SERVICE_NODE_FLAGS, '--import', join(root, 'scripts', 'register-ts.mjs')], entry: join(dirname(here), 'main.ts') };
  }
  return { execArgv: [...SERVICE_NODE_FLAGS], entry: join(dirname(here), 'main.js') };
}

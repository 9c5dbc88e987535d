/**
 * One service (orchestrator or evaluator) running as a child process of the
 * CLI: started with its own environment, logged to a file in its data folder,
 * checked for readiness over HTTP, and stopped by its process id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

/** How to start the sealbid CLI in a child process. */
export interface Launcher {
  /** Node options placed before the entry, such as a module loader. */
  execArgv: string[];
  /** Path of the CLI entry script. */
  entry: string;
}

export interface ServiceSpec {
  /** Short name for logs, such as "evaluator-2". */
  name: string;
  /** CLI arguments after the entry, such as ["evaluator"]. */
  args: string[];
  env: Record<string, string>;
  dataDir: string;
  url: string;
  /** Path that returns HTTP 200 once the service is ready, such as /v1/health. */
  readyPath: string;
}

/** Receives each line a service prints, for a console that shows all services. */
export type OutputListener = (service: string, line: string) => void;

/**
 * Receives an exit of a ready service that stop() or kill() did not cause,
 * described as "exit code N" or "signal NAME", with the last lines the
 * service printed.
 */
export type ExitListener = (service: string, description: string, logFile: string, lastOutput: string) => void;

/** Callbacks for a service's output and for its unexpected exit. */
export interface ServiceListeners {
  onOutput?: OutputListener;
  onExit?: ExitListener;
}

const STOP_GRACE_MS = 10_000;
const READY_POLL_MS = 200;
const LOG_TAIL_LINES = 20;
// Select Graphic Rendition sequences of ECMA-48 (colours and bold), such as "\u001b[32m".
const ANSI_COLOUR = /\u001b\[[0-9;]*m/g;

/** A service process that can be started, stopped and restarted on the same data folder. */
export class ServiceProcess {
  private child: ChildProcess | null = null;
  private log: WriteStream | null = null;
  private exited: Promise<number | null> = Promise.resolve(null);
  /** Set once the service is ready, and cleared when stop() or kill() ends it, so that only an unexpected exit is reported. */
  private watching = false;
  /** The last LOG_TAIL_LINES lines of output, kept for the exit report because the log file may not be written yet. */
  private recentLines: string[] = [];

  constructor(
    readonly spec: ServiceSpec,
    private readonly launcher: Launcher,
    private readonly listeners: ServiceListeners = {},
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Whether the process was started and has not exited. */
  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  get logFile(): string {
    return join(this.spec.dataDir, 'service.log');
  }

  /**
   * Starts the process and waits until its ready path returns HTTP 200.
   * @throws Error with the end of its log when it exits or is not ready within timeoutMs.
   */
  async start(timeoutMs: number): Promise<void> {
    this.log = createWriteStream(this.logFile, { flags: 'a', mode: 0o600 });
    const child = spawn(process.execPath, [...this.launcher.execArgv, this.launcher.entry, ...this.spec.args], {
      env: this.spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    // 'close' comes after the output pipes end, so the report has the last lines the service printed.
    child.once('close', (code, signal) => this.reportExit(child, signal === null ? `exit code ${code}` : `signal ${signal}`));
    this.forward(child);

    await this.waitUntilReady(timeoutMs);
    this.watching = true;
  }

  /** Stops the process with SIGTERM, then SIGKILL after a grace period; does nothing if it is not running. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === null || child.exitCode !== null || child.signalCode !== null) {
      this.child = null;
      return;
    }
    this.watching = false;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
    this.child = null;
    await new Promise<void>((resolve) => (this.log === null ? resolve() : this.log.end(resolve)));
    this.log = null;
  }

  /**
   * Kills the process with SIGKILL and waits for the exit. The process gets no
   * chance to shut down cleanly, as after a crash or a power loss.
   */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === null || !this.running) {
      this.child = null;
      return;
    }
    this.watching = false;
    child.kill('SIGKILL');
    await this.exited;
    this.child = null;
    await new Promise<void>((resolve) => (this.log === null ? resolve() : this.log.end(resolve)));
    this.log = null;
  }

  /** Stops and starts the process again with the same environment and data folder. */
  async restart(timeoutMs: number): Promise<void> {
    await this.stop();
    await this.start(timeoutMs);
  }

  private reportExit(child: ChildProcess, description: string): void {
    if (this.watching && this.child === child) {
      this.watching = false;
      this.listeners.onExit?.(this.spec.name, description, this.logFile, this.recentLines.join('\n'));
    }
  }

  private forward(child: ChildProcess): void {
    for (const stream of [child.stdout, child.stderr]) {
      let pending = '';
      stream?.on('data', (chunk: Buffer) => {
        this.log?.write(chunk);
        pending += chunk.toString('utf8');
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          this.listeners.onOutput?.(this.spec.name, line);
        }
        this.keepRecent(lines);
      });
    }
  }

  private keepRecent(lines: string[]): void {
    // Nest's logger colours its lines even into a pipe; the report is plain text.
    this.recentLines.push(...lines.slice(-LOG_TAIL_LINES).map((line) => line.replace(ANSI_COLOUR, '')));
    if (this.recentLines.length > LOG_TAIL_LINES) {
      this.recentLines = this.recentLines.slice(-LOG_TAIL_LINES);
    }
  }

  private async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exitCode: number | null | undefined;
    void this.exited.then((code) => (exitCode = code));

    while (Date.now() < deadline) {
      if (exitCode !== undefined) {
        const exitDescription = exitCode === null ? `on signal ${this.child?.signalCode ?? 'unknown'}` : `with code ${exitCode}`;
        throw new Error(`${this.spec.name} exited ${exitDescription} before it was ready; end of ${this.logFile}:\n${this.logTail()}`);
      }
      if (await this.answers()) {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
    }
    await this.stop();
    throw new Error(`${this.spec.name} was not ready at ${this.spec.url} within ${timeoutMs / 1000} s; end of ${this.logFile}:\n${this.logTail()}`);
  }

  private async answers(): Promise<boolean> {
    try {
      const response = await fetch(`${this.spec.url}${this.spec.readyPath}`, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  }

  private logTail(): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

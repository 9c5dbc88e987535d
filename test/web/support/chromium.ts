/**
 * Debian's Chromium for browser tests: installed with apt-get when missing,
 * started headless on a fresh profile with the DevTools port on 127.0.0.1,
 * and driven through playwright-core over CDP.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const START_TIMEOUT_MS = 60_000;

/** A running Chromium with the playwright handle that drives it. */
export interface RunningChromium {
  browser: Browser;
  /** Closes the browser, stops its process by id and removes its profile. */
  close(): Promise<void>;
}

/**
 * Installs Debian's chromium package when /usr/bin/chromium is missing.
 * @throws Error with the command to run when the install fails (for example without root).
 */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM_PATH)) {
    return;
  }
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const install = `${asRoot.join(' ')} apt-get update && ${asRoot.join(' ')} env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium`;
  try {
    execFileSync('sh', ['-c', install], { stdio: 'pipe', timeout: 15 * 60_000 });
  } catch (error) {
    throw new Error(`${CHROMIUM_PATH} is missing and installing it failed (${(error as Error).message.split('\n')[0]}): run "apt-get update && apt-get install -y chromium" as root`);
  }
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} still does not exist`);
  }
}

/** Starts Chromium on a fresh profile and connects playwright to it. @throws Error when it does not start. */
export async function launchChromium(): Promise<RunningChromium> {
  ensureChromium();
  const profile = mkdtempSync(join(tmpdir(), 'sealbid-chromium-'));
  const child = spawn(CHROMIUM_PATH, [...FLAGS, `--user-data-dir=${profile}`, '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0', 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });

  try {
    const endpoint = await devToolsEndpoint(child);
    const browser = await chromium.connectOverCDP(endpoint);
    return {
      browser,
      async close() {
        await browser.close().catch(() => undefined);
        await stopProcess(child);
        removeProfile(profile);
      },
    };
  } catch (error) {
    await stopProcess(child);
    removeProfile(profile);
    throw error;
  }
}

function devToolsEndpoint(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`Chromium printed no DevTools address within ${START_TIMEOUT_MS / 1000} s:\n${output}`)), START_TIMEOUT_MS);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited with code ${code} before it was ready:\n${output}`));
    });
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

// Chromium's helper processes may still be writing to the profile for a moment after the main process exits.
function removeProfile(profile: string): void {
  rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
}

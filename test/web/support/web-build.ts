/** Builds the bidder web client into dist/web, as `npm run build:web` does. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Runs scripts/build-web.mjs and returns the folder it wrote. */
export function buildWebClient(): string {
  const root = process.cwd();
  execFileSync(process.execPath, [join(root, 'scripts', 'build-web.mjs')], { cwd: root, stdio: 'pipe' });
  return join(root, 'dist', 'web');
}

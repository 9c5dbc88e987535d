/**
 * Jest global set-up: generates the Prisma clients once before any test file
 * loads them, and builds the bidder web client into dist/web once, so test
 * files running in parallel never rebuild it under each other. A fresh clone
 * passes `npm test` right after `npm ci`.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function globalSetup() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  execFileSync(process.execPath, [join(root, 'scripts', 'generate-prisma-clients.mjs')], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [join(root, 'scripts', 'build-web.mjs')], { cwd: root, stdio: 'inherit' });
}

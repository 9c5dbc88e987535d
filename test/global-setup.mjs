/**
 * Jest global set-up: generates the Prisma clients once before any test file
 * loads them, so a fresh clone passes `npm test` right after `npm ci`.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function globalSetup() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  execFileSync(process.execPath, [join(root, 'scripts', 'generate-prisma-clients.mjs')], { cwd: root, stdio: 'inherit' });
}

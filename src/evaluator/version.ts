/** Version reported by GET /v1/identity, read from package.json at start-up. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function readVersion(): string {
  const moduleDir = dirname(fileURLToPath(import.meta.url));
  // src/evaluator in sources, dist/src/evaluator in the build.
  for (const root of [join(moduleDir, '..', '..'), join(moduleDir, '..', '..', '..')]) {
    try {
      const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'sealbid' && manifest.version) {
        return manifest.version;
      }
    } catch {
      // Try the next candidate folder.
    }
  }
  return 'unknown';
}

export const EVALUATOR_VERSION = readVersion();

/** Location of the built bidder web client on disk. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Returns the folder with the built web client: SEALBID_WEB_DIR when set,
 * otherwise dist/web of the package this file belongs to. The package root is
 * the nearest folder upwards with a package.json, which works both from the
 * TypeScript sources (src/orchestrator/web) and from the build
 * (dist/src/orchestrator/web).
 */
export function resolveWebRoot(env: Record<string, string | undefined> = process.env): string {
  const configured = env.SEALBID_WEB_DIR;
  if (configured !== undefined && configured.trim() !== '') {
    return resolve(configured);
  }
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) {
      break;
    }
    folder = parent;
  }
  return join(folder, 'dist', 'web');
}

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Returns the folder of sealbid's package.json, from the sources (src/cli) or the build (dist/src/cli). */
export function packageRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) {
      throw new Error('the sealbid package folder was not found above the CLI; reinstall the package');
    }
    folder = parent;
  }
  return folder;
}

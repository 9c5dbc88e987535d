/**
 * The folder for a temporary cluster's data. Nothing of a temporary cluster
 * (the clusters of the demo, the simulation and the benchmarks) outlives
 * it, so its embedded databases go to memory where Linux offers a
 * memory-backed folder. On the benchmark machine, whose disk is a virtual
 * block device, `demo --limit 300` ran about 13 % faster there
 * (docs/benchmarks.md).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { tmpdir } from 'node:os';

/** The memory-backed folder of Linux (tmpfs). */
export const MEMORY_FOLDER = '/dev/shm';

/**
 * Returns TMPDIR when it is set, else /dev/shm when it is a writable folder,
 * else the operating system's temporary folder.
 * @throws Error when TMPDIR is set but is not a writable folder.
 */
export function temporaryRoot(env: NodeJS.ProcessEnv = process.env, memoryFolder = MEMORY_FOLDER): string {
  if (env.TMPDIR !== undefined && env.TMPDIR !== '') {
    if (!isWritableFolder(env.TMPDIR)) {
      throw new Error(`TMPDIR is ${env.TMPDIR}, which is not a writable folder: create it, or unset TMPDIR to use ${memoryFolder} or the system's temporary folder`);
    }
    return env.TMPDIR;
  }
  return isWritableFolder(memoryFolder) ? memoryFolder : tmpdir();
}

function isWritableFolder(path: string): boolean {
  try {
    if (!statSync(path).isDirectory()) {
      return false;
    }
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

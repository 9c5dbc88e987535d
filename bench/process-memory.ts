/** Peak resident memory of processes on Linux, read from /proc. */
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Resets the kernel's peak resident set size (VmHWM) of a process, so the
 * next reading covers only what follows. Returns false where the kernel or
 * the permissions do not allow it; the peak then counts from the process start.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    // Writing 5 to clear_refs resets the peak RSS (Linux 4.0 and later).
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Returns the peak resident set size of a process in MiB, or null when /proc is not readable. */
export function peakRssMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
    return match === null ? null : Math.round(Number(match[1]) / 1024);
  } catch {
    return null;
  }
}

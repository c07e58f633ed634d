// Temporary folders carry the process id that made them (".<name>.export-<pid>-<hex>",
// "holdout-parity-<pid>-…"), so what a killed process left can be told from what a live
// one is still writing: only the dead one's are removed. A process id can be reused after
// a reboot; then a leftover merely waits for the next sweep.
import fs from 'node:fs';
import path from 'node:path';
import { processIsAlive } from '../store/runs-repo.js';

/**
 * Removes the entries of `dir` that `pattern` matches (its first group must be the pid)
 * and whose process is gone. Returns what was removed. A folder that cannot be listed or
 * an entry that cannot be removed is left alone: sweeping is housekeeping, never a failure.
 */
export function removeDeadLeftovers(dir: string, pattern: RegExp, keep: (entry: string) => boolean = () => false): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const m = pattern.exec(entry);
    if (!m || keep(entry)) continue;
    const pid = Number(m[1]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || processIsAlive(pid)) continue;
    try {
      fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
      removed.push(path.join(dir, entry));
    } catch {
      // Left for the next sweep.
    }
  }
  return removed;
}

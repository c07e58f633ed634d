// Thumbnails on disk: thumbs/ab/<sha256>.webp, keyed by content so identical files
// share one. Written atomically: the bytes go to thumbs/.tmp/ first and are renamed
// into place, so a thumbnail file is either absent or complete, and the database row
// that needs it is written only after the rename (see row-writer.ts).
//
// No fsync per thumbnail: a thumbnail is a cache derived from the original, an
// application crash cannot lose a renamed file (the page cache survives it), and a
// power loss can only cost thumbnails that are regenerated from the originals;
// 10,000 fsyncs would cost more than the whole import.
import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { processIsAlive } from '../store/runs-repo.js';

export const TMP_DIR = '.tmp';

/** Same layout as Project.thumbPath (checked by a test); workers have no Project. */
export function thumbPathFor(thumbsDir: string, sha256: string): string {
  return path.join(thumbsDir, sha256.slice(0, 2), `${sha256}.webp`);
}

/** Temporary names start with the process id, so a sweep can tell its own leftovers. */
export function tmpPrefix(pid = process.pid): string {
  return `${pid}-`;
}

export class ThumbnailWriter {
  private readonly madeDirs = new Set<string>();
  private seq = 0;
  private readonly tmpDir: string;

  constructor(private readonly thumbsDir: string) {
    this.tmpDir = path.join(thumbsDir, TMP_DIR);
  }

  fileFor(sha256: string): string {
    return thumbPathFor(this.thumbsDir, sha256);
  }

  /** Whether the thumbnail of these bytes is already there (then nothing is encoded). */
  exists(sha256: string): boolean {
    // Sync on purpose: one stat of a cached directory entry is cheaper than a thread-pool hop.
    return fs.existsSync(this.fileFor(sha256));
  }

  /**
   * Saves the thumbnail of `sha256`: written to a temporary file, then renamed into
   * place. If two workers race on the same content, both files are complete and
   * identical, and the last rename wins. Synchronous, on the worker's own thread, on
   * purpose: a worker that is terminated (the import was stopped) writes nothing more
   * after termination, so the sweep that follows finds every leftover. (Letting sharp
   * write the file from libuv's pool would let a write land after the sweep.)
   */
  write(sha256: string, webp: Buffer): void {
    const final = this.fileFor(sha256);
    this.ensureDir(path.dirname(final));
    this.ensureDir(this.tmpDir);
    const tmp = path.join(this.tmpDir, `${tmpPrefix()}${threadId}-${this.seq++}.webp`);
    try {
      fs.writeFileSync(tmp, webp);
      fs.renameSync(tmp, final);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
  }

  private ensureDir(dir: string): void {
    if (this.madeDirs.has(dir)) return;
    fs.mkdirSync(dir, { recursive: true });
    this.madeDirs.add(dir);
  }
}

/**
 * Removes temporary thumbnails: this process's own after an import was stopped (its
 * workers were terminated mid-write), those of a process that no longer exists (killed
 * mid-import: the project lock means no other live process imports into this project),
 * and any older than `staleMs` (a pid reused since, or a file from another computer).
 */
export function sweepTmp(thumbsDir: string, staleMs = 10 * 60_000): number {
  const dir = path.join(thumbsDir, TMP_DIR);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  const own = tmpPrefix();
  const now = Date.now();
  let removed = 0;
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const pid = Number(/^(\d+)-/.exec(name)?.[1] ?? NaN);
      const dead = Number.isInteger(pid) && pid > 0 && !processIsAlive(pid);
      if (name.startsWith(own) || dead || now - fs.statSync(file).mtimeMs > staleMs) {
        fs.rmSync(file, { force: true });
        removed++;
      }
    } catch {
      // Gone already, or not ours to remove: either way nothing to do.
    }
  }
  return removed;
}

// A real disk that fills up: a small tmpfs mounted for the test (root only), filled with
// a filler file until a chosen number of bytes is left, emptied again to "free space".
// Nothing is simulated: the kernel answers ENOSPC, and SQLite SQLITE_FULL.
//
// Without the right to mount (non-root CI), `mountSmallDisk` returns null with the
// reason, and each test says which fallback it ran instead (a child process under a
// file-size limit, RLIMIT_FSIZE, that makes writes fail with EFBIG) or why it skipped.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface SmallDisk {
  dir: string;
  /** Fills the disk until at most `leaveBytes` are free (tmpfs counts whole 4 KiB pages). */
  fill(leaveBytes?: number): void;
  /** Frees what fill() took. */
  free(): void;
  freeBytes(): number;
  unmount(): void;
}

const FILLER = '.disk-filler';

/** Mounts a tmpfs of `sizeKiB` at a new folder under `parent`; null (with why) if mounting is not permitted. */
export function mountSmallDisk(parent: string, sizeKiB: number): SmallDisk | { unavailable: string } {
  const dir = fs.mkdtempSync(path.join(parent, 'small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k,mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    return { unavailable: `cannot mount a tmpfs here (${stderr || (err as Error).message})` };
  }
  let mounted = true;
  const freeBytes = () => {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  };
  return {
    dir,
    freeBytes,
    fill(leaveBytes = 0) {
      const fd = fs.openSync(path.join(dir, FILLER), 'a');
      const chunk = Buffer.alloc(64 * 1024, 0xa5);
      try {
        for (let free = freeBytes(); free > leaveBytes; free = freeBytes()) {
          const n = Math.min(chunk.length, Math.max(4096, free - leaveBytes));
          try {
            fs.writeSync(fd, chunk, 0, n);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
            throw err;
          }
        }
      } finally {
        fs.closeSync(fd);
      }
    },
    free() {
      fs.rmSync(path.join(dir, FILLER), { force: true });
    },
    unmount() {
      if (!mounted) return;
      mounted = false;
      try {
        execFileSync('umount', [dir], { stdio: 'pipe' });
      } catch {
        // Still busy (a child that has not exited yet): detach it now, it goes when released.
        execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function isMounted(disk: SmallDisk | { unavailable: string }): disk is SmallDisk {
  return 'dir' in disk;
}

/** Every file and folder under dir (relative), for "nothing was left behind" checks. */
export function listAll(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

// One writer per project: a lock file in the project folder says who has it open for
// changes (the desktop app, the web bridge or a `holdout` command). Two writers would
// each believe their view of imports, runs and splits is the whole truth (one marks the
// other's running import as failed, both train into one checkpoint folder), so the
// second is refused with a message naming the first. Training workers use the database
// of the process that holds the lock and never take it themselves.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiError } from '../../api/errors.js';
import { processIsAlive } from '../store/runs-repo.js';

export const LOCK_FILE = 'holdout.lock';

export type LockApp = 'desktop' | 'cli' | 'web';

export interface LockHolder {
  pid: number;
  host: string;
  app: LockApp;
  /** ISO time the lock was taken. */
  since: string;
  /** Tells this holder's file from a later one with the same pid (a reused pid, a reopen). */
  token: string;
}

export interface LockOptions {
  /** Whether a process on this computer is alive; RunsRepo's check by default. */
  isAlive?: (pid: number) => boolean;
  /** This computer's name; os.hostname() by default. */
  host?: string;
}

const APP_NAMES: Record<LockApp, string> = {
  desktop: 'desktop app',
  cli: 'command line',
  web: 'browser, via holdout serve',
};

/** Locks this process holds, released on exit even if a caller forgets to close. */
const held = new Set<ProjectLock>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Best effort: a SIGKILL or power cut skips this, and the stale-lock check below
  // recovers on the next open.
  process.on('exit', () => {
    for (const lock of [...held]) lock.release();
  });
}

export class ProjectLock {
  private released = false;

  constructor(
    readonly file: string,
    readonly holder: LockHolder,
  ) {
    held.add(this);
    installExitHook();
  }

  /** Removes the lock file if it is still ours (never another holder's that replaced a stale one). */
  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this);
    const current = readLockFile(this.file);
    if (current && current.token !== this.holder.token) return;
    try {
      fs.unlinkSync(this.file);
    } catch {
      // Already gone (someone cleared it by hand): nothing to release.
    }
  }
}

function parseHolder(text: string): LockHolder | null {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid !== 'number' || typeof v.host !== 'string' || typeof v.since !== 'string') return null;
    const app: LockApp = v.app === 'cli' || v.app === 'web' ? v.app : 'desktop';
    return { pid: v.pid, host: v.host, app, since: v.since, token: typeof v.token === 'string' ? v.token : '' };
  } catch {
    return null;
  }
}

function readLockFile(file: string): LockHolder | null {
  try {
    return parseHolder(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Who holds the project in `dir`, or null when nobody does (or the file is unreadable). */
export function readProjectLock(dir: string): LockHolder | null {
  return readLockFile(path.join(dir, LOCK_FILE));
}

function clock(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const sameDay = d.toDateString() === new Date().toDateString();
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  return sameDay ? hm : `${d.toISOString().slice(0, 10)} ${hm}`;
}

/** "the desktop app, process 1234 on this computer, since 14:02" */
export function describeHolder(holder: LockHolder, host = os.hostname()): string {
  const where = holder.host === host ? 'on this computer' : `on the computer "${holder.host}"`;
  return `Holdout (${APP_NAMES[holder.app]}, process ${holder.pid} ${where}, since ${clock(holder.since)})`;
}

function refusal(dir: string, holder: LockHolder, host: string): ApiError {
  const base = `${dir} is open in ${describeHolder(holder, host)}: close it there first`;
  if (holder.host === host) return new ApiError('conflict', base, 'dir');
  return new ApiError(
    'conflict',
    `${base}. If that computer is gone or crashed, delete ${path.join(dir, LOCK_FILE)} and open the project again`,
    'dir',
  );
}

/**
 * Takes the project's lock for `app`, or throws ApiError 'conflict' naming the holder.
 * The file is created with O_EXCL, so of two processes racing for it exactly one wins.
 * A lock left by a process that is no longer alive on this computer is taken over; a
 * lock from another computer (a project on a network share) is honoured, since we
 * cannot see whether its process lives.
 */
export function acquireProjectLock(dir: string, app: LockApp, options: LockOptions = {}): ProjectLock {
  const isAlive = options.isAlive ?? processIsAlive;
  const host = options.host ?? os.hostname();
  const file = path.join(dir, LOCK_FILE);
  const holder: LockHolder = {
    pid: process.pid,
    host,
    app,
    since: new Date().toISOString(),
    token: crypto.randomBytes(8).toString('hex'),
  };
  // Two attempts: the second after removing a stale lock (another opener may win that race).
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, `${JSON.stringify(holder)}\n`, { flag: 'wx' });
      return new ProjectLock(file, holder);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const current = readLockFile(file);
    if (current === null) {
      // Being written right now, or garbage. A writer finishes within microseconds: look again once.
      const again = readLockFile(file);
      if (again === null && !isFreshFile(file)) {
        removeIfUnchanged(file, null);
        continue;
      }
      throw new ApiError('conflict', `${dir} is being opened by another Holdout right now: try again in a moment`, 'dir');
    }
    if (current.host !== host || isAlive(current.pid)) throw refusal(dir, current, host);
    removeIfUnchanged(file, current.token);
  }
  const now = readLockFile(file);
  if (now) throw refusal(dir, now, host);
  throw new ApiError('conflict', `${dir} is being opened by another Holdout right now: try again in a moment`, 'dir');
}

function isFreshFile(file: string): boolean {
  try {
    return Date.now() - fs.statSync(file).mtimeMs < 2000;
  } catch {
    return false;
  }
}

/** Deletes the stale lock only if it is still the one we judged stale (by token). */
function removeIfUnchanged(file: string, token: string | null): void {
  const current = readLockFile(file);
  if (token !== null && current?.token !== token) return;
  if (token === null && current !== null) return;
  try {
    fs.unlinkSync(file);
  } catch {
    // Someone else removed it first: the next attempt sees.
  }
}

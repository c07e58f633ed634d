// A project folder the user cannot write (a read-only share, a locked USB stick, a
// folder shared by a colleague with chmod -w) still opens, to look at. Two facts shape
// how:
// - Permission bits do not tell: root ignores them, and network shares and ACLs lie.
//   The only honest test is to try to create a file there.
// - SQLite cannot open a WAL database read-only in a folder where it cannot create the
//   -shm index, and better-sqlite3 is built without URI names (no `immutable=1`). So the
//   database (with any -wal it has) is copied to a temporary folder and opened read-only
//   there; the project folder itself is never written.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiError } from '../../api/errors.js';

/** True when a file can be created (and removed) in `dir`. */
export function isFolderWritable(dir: string): boolean {
  const probe = path.join(dir, `.holdout-write-test-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  let fd: number;
  try {
    fd = fs.openSync(probe, 'wx');
  } catch {
    return false;
  }
  fs.closeSync(fd);
  try {
    fs.unlinkSync(probe);
  } catch {
    // A folder that lets us create but not delete is not one to write a project in.
    return false;
  }
  return true;
}

/** A read-only database file can sit in a writable folder (chmod 444 on holdout.db alone). */
export function isFileWritable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.W_OK);
  } catch {
    return false;
  }
  // root passes access(); a real open for writing tells the truth, without changing a byte.
  try {
    fs.closeSync(fs.openSync(file, 'r+'));
    return true;
  } catch {
    return false;
  }
}

export interface Snapshot {
  /** The copy of holdout.db to open read-only. */
  file: string;
  /** Removes the temporary folder (on close). */
  remove(): void;
}

/** Copies `dbFile` and its -wal (committed changes not yet folded in) to a temporary folder. */
export function snapshotDatabase(dbFile: string): Snapshot {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'holdout-readonly-'));
  const file = path.join(dir, path.basename(dbFile));
  try {
    fs.copyFileSync(dbFile, file);
    if (fs.existsSync(`${dbFile}-wal`)) fs.copyFileSync(`${dbFile}-wal`, `${file}-wal`);
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new ApiError('io_error', `${dbFile} could not be read: ${(err as Error).message}`, 'dir');
  }
  return { file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * API methods that change the project. While it is read-only they are refused with one
 * clear message instead of a SQLite error; anything not listed that tries to write
 * still fails, because the database is opened read-only.
 */
export const WRITE_METHODS: ReadonlySet<string> = new Set([
  'import.start',
  'labels.assign',
  'labels.exclude',
  'labels.include',
  'labels.undo',
  'labels.redo',
  'classes.create',
  'classes.rename',
  'classes.merge',
  'classes.delete',
  'curation.keepOne',
  'quiz.start',
  'quiz.answer',
  'split.save',
  'split.assignNew',
  'train.start',
  'train.resume',
  'evaluate.run',
  'export.run',
  'predict.run',
  'predict.addToProject',
  'predict.dismissSuggestions',
  'runs.update',
  'runs.delete',
  'lockbox.open',
  'lockbox.record',
]);

export function readOnlyRefusal(dir: string, method: string): ApiError {
  return new ApiError(
    'forbidden',
    `this project is read-only (${dir} cannot be written): you can look, not change (${method} was not done). ` +
      'Copy the project folder somewhere you can write to work on it.',
  );
}

/**
 * Wraps the write methods of `handlers` so that, while the open project is read-only,
 * they are refused before they start (no worker launched, no file touched).
 */
export function refuseWritesWhenReadOnly<H extends object>(
  handlers: H,
  current: () => { readOnly: boolean; dir: string } | null,
): H {
  const table = handlers as Record<string, (request: unknown) => unknown>;
  for (const method of WRITE_METHODS) {
    const handle = table[method];
    if (!handle) continue;
    table[method] = (request: unknown) => {
      const open = current();
      if (open?.readOnly) throw readOnlyRefusal(open.dir, method);
      return handle(request);
    };
  }
  return handlers;
}

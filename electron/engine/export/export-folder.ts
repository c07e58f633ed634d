// Where an export goes, and how it gets there whole. The target must be absent, an empty
// folder, or an earlier Holdout export (recognised by its model-card.json): the user's
// own files are never overwritten. Everything is written into a hidden temporary sibling
// and renamed into place at the end, so a crash or a failed step leaves no half-written
// export; an earlier export being replaced is moved aside first and removed last.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../api/errors.js';
import { processIsAlive } from '../store/runs-repo.js';
import { removeDeadLeftovers } from '../util/dead-leftovers.js';
import { throwIfDiskFull } from '../util/disk-full.js';

/** The file every Holdout export holds, with this `format`: how a previous export is recognised. */
export const CARD_JSON = 'model-card.json';
export const EXPORT_FORMAT = 'holdout-export';

function isHoldoutExport(dir: string): boolean {
  try {
    const card = JSON.parse(fs.readFileSync(path.join(dir, CARD_JSON), 'utf8')) as { format?: unknown };
    return card.format === EXPORT_FORMAT;
  } catch {
    return false;
  }
}

/** Checks the target before any work; returns it absolute. Errors name the field `outDir`. */
export function checkOutDir(outDir: string): string {
  if (typeof outDir !== 'string' || outDir.trim() === '') throw new ApiError('invalid_request', 'outDir must name a folder to export into', 'outDir');
  const target = path.resolve(outDir);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // ENOTDIR: a file on the way; the parent check below names it.
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new ApiError('io_error', `cannot look at ${target}: ${(err as Error).message}`, 'outDir');
  }
  if (stat && !stat.isDirectory()) throw new ApiError('invalid_request', `outDir ${target} is a file, not a folder: choose a folder (it is created if missing)`, 'outDir');
  if (stat && fs.readdirSync(target).length > 0 && !isHoldoutExport(target)) {
    throw new ApiError(
      'conflict',
      `outDir ${target} is a folder with other files in it (not an earlier Holdout export): choose an empty or new folder, so nothing of yours is overwritten`,
      'outDir',
    );
  }
  const parent = path.dirname(target);
  try {
    if (!fs.statSync(parent).isDirectory()) throw new Error('is a file, not a folder');
    fs.accessSync(parent, fs.constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' || code === 'EPERM' ? 'is not writable' : (err as Error).message;
    throw new ApiError('invalid_request', `outDir ${target} cannot be created: its parent folder ${parent} ${why}`, 'outDir');
  }
  return target;
}

export interface StagedExport {
  /** The temporary folder to write into. */
  dir: string;
  /** Moves the finished export to the target (replacing an earlier export there). */
  commit(): void;
  /** Removes the temporary folder (after a failure). */
  discard(): void;
}

/** Regex-safe. */
const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * What an export killed midway left beside `target`: its staging folder, and, if it died
 * between moving the earlier export aside and moving the new one in, the earlier export
 * set aside — that one is put back (the target is missing then), the rest removed.
 */
export function sweepDeadExports(target: string): string[] {
  const parent = path.dirname(target);
  const base = literal(path.basename(target));
  const aside = new RegExp(`^\\.${base}\\.old-(\\d+)-[0-9a-f]+$`);
  const restore = (entry: string): boolean => {
    if (!aside.test(entry) || fs.existsSync(target) || processIsAlive(Number(aside.exec(entry)![1]))) return false;
    try {
      fs.renameSync(path.join(parent, entry), target);
      return true;
    } catch {
      return false;
    }
  };
  return removeDeadLeftovers(parent, new RegExp(`^\\.${base}\\.(?:export|old)-(\\d+)-[0-9a-f]+$`), restore);
}

export function stageExport(target: string): StagedExport {
  sweepDeadExports(target);
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const dir = path.join(path.dirname(target), `.${path.basename(target)}.export-${suffix}`);
  try {
    fs.mkdirSync(dir);
  } catch (err) {
    throwIfDiskFull(err, { what: 'the export', path: path.dirname(target), field: 'outDir', retry: 'export again', kept: 'nothing was written' });
    throw new ApiError('io_error', `cannot write beside ${target}: ${(err as Error).message}`, 'outDir');
  }
  return {
    dir,
    commit() {
      let aside: string | null = null;
      if (fs.existsSync(target)) {
        // Checked again: the folder may have changed while the export ran.
        checkOutDir(target);
        aside = path.join(path.dirname(target), `.${path.basename(target)}.old-${suffix}`);
        fs.renameSync(target, aside);
      }
      try {
        fs.renameSync(dir, target);
      } catch (err) {
        if (aside) fs.renameSync(aside, target);
        throw new ApiError('io_error', `cannot move the export into ${target}: ${(err as Error).message}`, 'outDir');
      }
      if (aside) fs.rmSync(aside, { recursive: true, force: true });
    },
    discard() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every file under dir, relative, with '/' separators, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  walk('');
  return out.sort();
}

// The entry point of import: checks the source, records the import, and runs it in
// the background. The `imports` row exists (and its id is returned) before any file
// is read, so a UI can show the import at once; `done` resolves with the summary and
// never rejects for bad files, which are listed in it (and in import_errors).
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../api/errors.js';
import type { ImportProgress, ImportSource, ImportSummary } from '../../api/schemas.js';
import type { Project } from '../project/project.js';
import { ImportRun, type ResolvedSource } from './import-run.js';
import { throwIfDiskFull } from '../util/disk-full.js';
import { sweepTmp } from './thumbnail-file.js';

export interface ImportOptions {
  source: ImportSource;
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  /** Worker threads; default: the machine's available parallelism. */
  workers?: number;
  /** Largest accepted image in pixels (decompression-bomb guard). */
  maxPixels?: number;
}

export interface RunningImport {
  importId: number;
  done: Promise<ImportSummary>;
}

/** 100 megapixels: larger than any camera's photo, far below what would exhaust memory. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

/** Checks that the source exists and is the right kind, before anything is recorded. */
export function resolveSource(source: ImportSource): ResolvedSource {
  const field = source.kind === 'folder' ? 'source.folder' : 'source.csv';
  const given = source.kind === 'folder' ? source.folder : source.csv;
  const abs = path.resolve(given);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ApiError('not_found', `${abs} does not exist`, field);
    throw new ApiError('io_error', `${abs} cannot be opened: ${(err as Error).message}`, field);
  }
  if (source.kind === 'folder') {
    if (!st.isDirectory()) {
      throw new ApiError('invalid_request', `${abs} is a file, not a folder: choose the folder that holds the images`, field);
    }
    return { kind: 'folder', path: abs, unlabeled: source.unlabeled ?? false };
  }
  if (!st.isFile()) {
    throw new ApiError('invalid_request', `${abs} is a folder, not a CSV file: import it as a folder instead`, field);
  }
  if (source.baseDir === undefined) return { kind: 'csv', path: abs, baseDir: path.dirname(abs) };
  const baseDir = path.resolve(source.baseDir);
  if (!fs.existsSync(baseDir) || !fs.statSync(baseDir).isDirectory()) {
    throw new ApiError('not_found', `${baseDir} is not a folder: relative paths in the CSV cannot be resolved against it`, 'source.baseDir');
  }
  return { kind: 'csv', path: abs, baseDir };
}

export function startImport(project: Project, options: ImportOptions): RunningImport {
  const source = resolveSource(options.source);
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (!(maxPixels > 0)) throw new ApiError('invalid_request', 'maxPixels must be a positive number', 'maxPixels');
  if (options.workers !== undefined && !(Number.isInteger(options.workers) && options.workers > 0)) {
    throw new ApiError('invalid_request', 'workers must be a positive whole number', 'workers');
  }
  // Temporary thumbnails of a crashed earlier run: safe to remove once stale.
  sweepTmp(project.thumbsDir);
  let importId: number;
  try {
    importId = project.imports.start(source.kind, source.path);
  } catch (err) {
    // Nothing was read or written yet: only the database's record of the import failed.
    throwIfDiskFull(err, { what: 'the record of a new import', path: project.dbFile, retry: 'import again' });
    throw err;
  }
  const run = new ImportRun(project, importId, {
    source,
    maxPixels,
    workers: options.workers,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  return { importId, done: run.run() };
}

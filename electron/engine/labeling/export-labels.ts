// Exports the labels as CSV: path, label, group, split (of the current split version;
// empty for images it does not place, or before any split).
// The file is written whole or not at all, and reads back with `holdout label --csv`
// (an empty label there means unlabeled, as here).
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { stringify } from 'csv-stringify/sync';
import { ApiError } from '../../api/errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';

export interface ExportOptions {
  /** Also list images excluded from training, with a status column saying so. */
  includeExcluded?: boolean;
}

export function labelsCsv(db: Database.Database, options: ExportOptions = {}): { csv: string; rows: number } {
  const where = options.includeExcluded ? '' : `WHERE i.status = 'ok'`;
  const rows = db
    .prepare(
      `SELECT i.path, coalesce(c.name, '') AS label, coalesce(i.group_name, '') AS grp, i.status,
              coalesce(sa.split, '') AS split
         FROM images i LEFT JOIN classes c ON c.id = i.class_id
         LEFT JOIN split_assignments sa ON sa.image_id = i.id AND sa.version_id = (SELECT max(id) FROM split_versions)
         ${where} ORDER BY i.id`,
    )
    .raw()
    .all() as [string, string, string, string, string][];
  const header = options.includeExcluded ? ['path', 'label', 'group', 'split', 'status'] : ['path', 'label', 'group', 'split'];
  const records = rows.map(([p, label, group, status, split]) =>
    options.includeExcluded ? [p, label, group, split, status] : [p, label, group, split],
  );
  return { csv: stringify([header, ...records]), rows: rows.length };
}

/** Default place: <project>/exports/labels-<UTC time>.csv. */
export function defaultExportPath(projectDir: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return path.join(projectDir, 'exports', `labels-${stamp}.csv`);
}

/**
 * Writes the export. The path comes from the UI, so what a request can do is kept
 * small: only a new `.csv` file (never overwriting one unless asked) in a folder that
 * exists, except the project's own exports folder, which is created on first use.
 */
export function exportLabels(
  db: Database.Database,
  file: string,
  options: ExportOptions & {
    overwrite?: boolean;
    /** Missing folders inside this one (the project) are created; anywhere else the folder must exist. */
    mayCreateFoldersIn?: string;
  } = {},
): { path: string; rows: number } {
  const target = path.resolve(file);
  if (!/\.csv$/i.test(target)) throw new ApiError('invalid_request', `${target}: the export must be a .csv file`, 'path');
  const dir = path.dirname(target);
  const inside = options.mayCreateFoldersIn ? path.relative(options.mayCreateFoldersIn, dir) : '..';
  if (!inside.startsWith('..') && !path.isAbsolute(inside)) fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync(dir)) throw new ApiError('not_found', `${dir} does not exist: choose an existing folder`, 'path');
  if (!options.overwrite && fs.existsSync(target)) {
    throw new ApiError('conflict', `${target} already exists: choose another name, or allow overwriting`, 'path');
  }
  const { csv, rows } = labelsCsv(db, options);
  writeFileAtomic(target, csv);
  return { path: target, rows };
}

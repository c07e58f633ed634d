// Applies a labels CSV all or nothing: every row is checked first (its path must be an
// image of the project, its label a class that exists unless new classes are allowed,
// no image twice with two labels); only a file without a bad row is applied, in one
// transaction, as one undoable action.
import path from 'node:path';
import type Database from 'better-sqlite3';
import { ClassName } from '../../api/curation-schemas.js';
import type { ClassChange, ImageChange } from '../store/history-repo.js';
import { commitAction } from './apply-action.js';
import { freshClassId } from './class-actions.js';
import { currentStates } from './label-images.js';
import type { LabelRow, RowError } from './read-label-csv.js';

export interface CsvApplyOptions {
  /** Folder relative paths are resolved against: the CSV's own folder, as import does. */
  baseDir: string;
  /** Create classes the file names and the project lacks, instead of reporting those rows. */
  createClasses: boolean;
  /** For the history entry: "labels from <name>". */
  sourceName: string;
}

export interface CsvApplyResult {
  applied: number;
  unchanged: number;
  createdClasses: string[];
  errors: RowError[];
  actionId: number | null;
}

/** Finds images by path: exactly as resolved, else by the path relative to its import folder when that is unique. */
function pathMatcher(db: Database.Database, baseDir: string): (p: string) => number | 'ambiguous' | undefined {
  const byBytes = db.prepare('SELECT id FROM images WHERE path_bytes = ?').pluck();
  let byRel: Map<string, number | 'ambiguous'> | null = null;
  return (p) => {
    const abs = path.isAbsolute(p) ? path.normalize(p) : path.resolve(baseDir, p);
    const id = byBytes.get(Buffer.from(abs)) as number | undefined;
    if (id !== undefined || path.isAbsolute(p)) return id;
    if (!byRel) {
      byRel = new Map();
      for (const [rid, rel] of db.prepare('SELECT id, rel_path FROM images').raw().iterate() as Iterable<[number, string]>) {
        byRel.set(rel, byRel.has(rel) ? 'ambiguous' : rid);
      }
    }
    return byRel.get(path.normalize(p));
  };
}

/** Classes by exact name, then by name without regard to case (names are unique that way). */
function classMatcher(db: Database.Database): (name: string) => number | undefined {
  const rows = db.prepare('SELECT id, name FROM classes').all() as { id: number; name: string }[];
  const exact = new Map(rows.map((r) => [r.name, r.id]));
  const folded = new Map(rows.map((r) => [r.name.toLowerCase(), r.id]));
  return (name) => exact.get(name) ?? folded.get(name.toLowerCase());
}

export function applyLabelCsv(db: Database.Database, rows: readonly LabelRow[], parseErrors: readonly RowError[], options: CsvApplyOptions): CsvApplyResult {
  return db
    .transaction((): CsvApplyResult => {
      const errors: RowError[] = [...parseErrors];
      const findImage = pathMatcher(db, options.baseDir);
      const findClass = classMatcher(db);
      const newClasses = new Map<string, string>(); // folded name → name as first written
      const wanted = new Map<number, { row: number; label: string }>(); // image id → first row naming it
      for (const r of rows) {
        const id = findImage(r.path);
        if (id === undefined) {
          errors.push({ row: r.row, path: r.path, reason: 'no image of the project has this path (check the spelling, or import the file first)' });
          continue;
        }
        if (id === 'ambiguous') {
          errors.push({ row: r.row, path: r.path, reason: 'several images have this relative path: write the full path' });
          continue;
        }
        if (r.label !== '' && findClass(r.label) === undefined) {
          if (!options.createClasses) {
            errors.push({ row: r.row, path: r.path, reason: `unknown class "${r.label}": create it first, or run with --create-classes` });
            continue;
          }
          const checked = ClassName.safeParse(r.label);
          if (!checked.success) {
            errors.push({ row: r.row, path: r.path, reason: `"${r.label}" cannot be a class name: ${checked.error.issues[0]?.message}` });
            continue;
          }
          if (!newClasses.has(r.label.toLowerCase())) newClasses.set(r.label.toLowerCase(), r.label);
        }
        const earlier = wanted.get(id);
        if (earlier && earlier.label.toLowerCase() !== r.label.toLowerCase()) {
          errors.push({ row: r.row, path: r.path, reason: `row ${earlier.row} gives the same image the label "${earlier.label}"` });
          continue;
        }
        if (!earlier) wanted.set(id, { row: r.row, label: r.label });
      }
      if (errors.length > 0) {
        errors.sort((a, b) => a.row - b.row);
        return { applied: 0, unchanged: 0, createdClasses: [], errors, actionId: null };
      }

      const classChanges: ClassChange[] = [];
      const newIds = new Map<string, number>();
      let nextId = freshClassId(db);
      let position = (db.prepare('SELECT coalesce(max(position), -1) + 1 AS p FROM classes').get() as { p: number }).p;
      for (const [folded, name] of newClasses) {
        newIds.set(folded, nextId);
        classChanges.push({ classId: nextId++, before: null, after: { name, position: position++ } });
      }
      const states = currentStates(db, [...wanted.keys()]);
      const changes: ImageChange[] = [];
      for (const [imageId, { label }] of wanted) {
        const before = states.get(imageId)!;
        const classId = label === '' ? null : (findClass(label) ?? newIds.get(label.toLowerCase())!);
        if (before.classId !== classId) changes.push({ imageId, before, after: { ...before, classId } });
      }
      const summary = `labels from ${options.sourceName} (${changes.length} image${changes.length === 1 ? '' : 's'})`;
      const { actionId, changed } = commitAction(db, 'csv', summary, changes, classChanges);
      return { applied: changed, unchanged: wanted.size - changed, createdClasses: [...newClasses.values()], errors: [], actionId };
    })
    .immediate();
}

// The one place label state is written. An action is a list of image changes and class
// changes, each with a before and an after; doing, undoing and redoing are all "bring
// every touched row to one side" inside one transaction, so a crash never leaves half
// an action and undo after a restart is the same code as undo now.
import type Database from 'better-sqlite3';
import { ApiError } from '../../api/errors.js';
import { HistoryRepo, type ClassChange, type ClassState, type ImageChange } from '../store/history-repo.js';

/** How many actions stay undoable; older ones are forgotten (their labels stay, of course). */
export const HISTORY_LIMIT = 1000;

type Side = 'before' | 'after';
const other = (side: Side): Side => (side === 'before' ? 'after' : 'before');

function classRow(db: Database.Database, id: number): ClassState | undefined {
  return db.prepare('SELECT name, position FROM classes WHERE id = ?').get(id) as ClassState | undefined;
}

function nameOwner(db: Database.Database, name: string): number | undefined {
  const row = db.prepare('SELECT id FROM classes WHERE name = ?').get(name) as { id: number } | undefined;
  return row?.id;
}

/**
 * Brings the classes that exist on `side` into being (or to their name and position
 * there). Returns a map old id → new id for a class that had to come back under a new
 * id because an import took its old one meanwhile.
 */
function raiseClasses(db: Database.Database, changes: ClassChange[], side: Side, describe: string): Map<number, number> {
  const remap = new Map<number, number>();
  for (const c of changes) {
    const target = c[side];
    if (!target) continue;
    const current = classRow(db, c.classId);
    // The id was free when this action ran and is taken now: not by history (history
    // is a stack), so by an import.
    const reused = current !== undefined && c[other(side)] === null;
    const clash = nameOwner(db, target.name);
    if (clash !== undefined && (clash !== c.classId || reused)) {
      throw new ApiError(
        'conflict',
        `cannot ${describe}: a class named "${target.name}" exists again (#${clash}). Rename or merge it first.`,
        'name',
      );
    }
    if (reused) {
      // Bring the class back under a fresh id; the history is rewritten to match.
      const fresh = Number(db.prepare('INSERT INTO classes (name, position) VALUES (?, ?)').run(target.name, target.position).lastInsertRowid);
      remap.set(c.classId, fresh);
    } else if (current) {
      db.prepare('UPDATE classes SET name = ?, position = ? WHERE id = ?').run(target.name, target.position, c.classId);
    } else {
      db.prepare('INSERT INTO classes (id, name, position) VALUES (?, ?, ?)').run(c.classId, target.name, target.position);
    }
  }
  return remap;
}

/** Removes the classes that do not exist on `side`; refuses if images labeled since would lose their label. */
function dropClasses(db: Database.Database, changes: ClassChange[], side: Side, describe: string): void {
  for (const c of changes) {
    if (c[side] !== null) continue;
    const left = (db.prepare('SELECT count(*) AS n FROM images WHERE class_id = ?').get(c.classId) as { n: number }).n;
    if (left > 0) {
      const name = classRow(db, c.classId)?.name ?? `#${c.classId}`;
      throw new ApiError(
        'conflict',
        `cannot ${describe}: class "${name}" has ${left} image(s) that were labeled outside this history (by an import). Move them to another class first.`,
      );
    }
    db.prepare('DELETE FROM classes WHERE id = ?').run(c.classId);
  }
}

function writeImages(db: Database.Database, changes: ImageChange[], side: Side, remap: Map<number, number>): void {
  const update = db.prepare('UPDATE images SET class_id = ?, status = ?, exclude_reason = ? WHERE id = ?');
  for (const c of changes) {
    const s = c[side];
    const classId = s.classId === null ? null : (remap.get(s.classId) ?? s.classId);
    update.run(classId, s.status, s.status === 'excluded' ? s.reason : null, c.imageId);
  }
}

/** Brings every row an action touched to one side. The caller holds the transaction. */
export function applySide(
  db: Database.Database,
  history: HistoryRepo,
  actionId: number | null,
  images: ImageChange[],
  classes: ClassChange[],
  side: Side,
  describe: string,
): void {
  const remap = raiseClasses(db, classes, side, describe);
  writeImages(db, images, side, remap);
  dropClasses(db, classes, side, describe);
  const direction = side === 'before' ? 'undo' : 'redo';
  if (actionId !== null) for (const [from, to] of remap) history.remapClass(from, to, actionId, direction);
}

export interface ActionOutcome {
  actionId: number | null;
  changed: number;
}

/**
 * Applies a new action and records it, in one transaction. An action that changes
 * nothing is not recorded (there is nothing to undo). A new action discards the redo branch.
 */
export function commitAction(
  db: Database.Database,
  kind: string,
  summary: string,
  images: ImageChange[],
  classes: ClassChange[] = [],
): ActionOutcome {
  const history = new HistoryRepo(db);
  const changedImages = images.filter(
    (c) => c.before.classId !== c.after.classId || c.before.status !== c.after.status || c.before.reason !== c.after.reason,
  );
  if (changedImages.length === 0 && classes.length === 0) return { actionId: null, changed: 0 };
  return db
    .transaction(() => {
      history.discardRedo();
      applySide(db, history, null, changedImages, classes, 'after', kind);
      const actionId = history.record(kind, summary, changedImages, classes);
      history.prune(HISTORY_LIMIT);
      return { actionId, changed: changedImages.length };
    })
    .immediate();
}

// Creating, renaming, merging and deleting classes, each one undoable action. Names are
// unique without regard to case ("Cat" and "cat" would look like one class to a person).
import type Database from 'better-sqlite3';
import { ClassName } from '../../api/curation-schemas.js';
import { ApiError } from '../../api/errors.js';
import type { ClassChange, ClassState, ImageChange, ImageLabelState } from '../store/history-repo.js';
import { commitAction } from './apply-action.js';

export interface ClassOutcome {
  classId: number | null;
  actionId: number | null;
  movedImages: number;
}

function classState(db: Database.Database, id: number, field: string): ClassState {
  const row = db.prepare('SELECT name, position FROM classes WHERE id = ?').get(id) as ClassState | undefined;
  if (!row) throw new ApiError('not_found', `no class #${id} in this project`, field);
  return row;
}

/** The name as it will be stored (trimmed), or an error naming the field. */
function checkedName(name: string): string {
  const r = ClassName.safeParse(name);
  if (!r.success) throw new ApiError('invalid_request', `class name: ${r.error.issues[0]?.message ?? 'invalid'}`, 'name');
  return r.data;
}

function refuseTakenName(db: Database.Database, name: string, exceptId: number | null): void {
  const row = db
    .prepare('SELECT id, name FROM classes WHERE lower(name) = lower(?) AND id IS NOT ?')
    .get(name, exceptId) as { id: number; name: string } | undefined;
  if (row) {
    throw new ApiError('conflict', `a class named "${row.name}" already exists: choose another name, or merge into it`, 'name');
  }
}

/**
 * A new class id no class ever had, in the project or in its history, so undo and
 * redo never confuse two classes that had the same id at different times.
 */
export function freshClassId(db: Database.Database): number {
  const row = db
    .prepare(
      `SELECT max(coalesce((SELECT max(id) FROM classes), 0), coalesce((SELECT max(class_id) FROM label_class_changes), 0)) + 1 AS id`,
    )
    .get() as { id: number };
  return row.id;
}

/** Every image of class `from`, moving to `to` (null = unlabeled). */
function moveAll(db: Database.Database, from: number, to: number | null): ImageChange[] {
  const rows = db
    .prepare('SELECT id, class_id AS classId, status, exclude_reason AS reason FROM images WHERE class_id = ? ORDER BY id')
    .all(from) as (ImageLabelState & { id: number })[];
  return rows.map((r) => ({
    imageId: r.id,
    before: { classId: r.classId, status: r.status, reason: r.reason },
    after: { classId: to, status: r.status, reason: r.reason },
  }));
}

export function createClass(db: Database.Database, rawName: string): ClassOutcome {
  const name = checkedName(rawName);
  return db.transaction(() => {
    refuseTakenName(db, name, null);
    const classId = freshClassId(db);
    const position = (db.prepare('SELECT coalesce(max(position), -1) + 1 AS p FROM classes').get() as { p: number }).p;
    const change: ClassChange = { classId, before: null, after: { name, position } };
    const { actionId } = commitAction(db, 'class-create', `created class "${name}"`, [], [change]);
    return { classId, actionId, movedImages: 0 };
  }).immediate();
}

export function renameClass(db: Database.Database, id: number, rawName: string): ClassOutcome {
  const name = checkedName(rawName);
  return db.transaction(() => {
    const before = classState(db, id, 'id');
    if (before.name === name) return { classId: id, actionId: null, movedImages: 0 };
    refuseTakenName(db, name, id);
    const change: ClassChange = { classId: id, before, after: { ...before, name } };
    const { actionId } = commitAction(db, 'class-rename', `renamed class "${before.name}" to "${name}"`, [], [change]);
    return { classId: id, actionId, movedImages: 0 };
  }).immediate();
}

export function mergeClasses(db: Database.Database, fromId: number, intoId: number): ClassOutcome {
  if (fromId === intoId) throw new ApiError('invalid_request', 'a class cannot be merged into itself', 'intoId');
  return db.transaction(() => {
    const from = classState(db, fromId, 'fromId');
    const into = classState(db, intoId, 'intoId');
    const moves = moveAll(db, fromId, intoId);
    const summary = `merged "${from.name}" into "${into.name}" (${moves.length} image${moves.length === 1 ? '' : 's'})`;
    const { actionId } = commitAction(db, 'class-merge', summary, moves, [{ classId: fromId, before: from, after: null }]);
    return { classId: intoId, actionId, movedImages: moves.length };
  }).immediate();
}

export function deleteClass(db: Database.Database, id: number, moveImagesTo: number | null): ClassOutcome {
  if (moveImagesTo === id) throw new ApiError('invalid_request', 'the images of a deleted class cannot stay in it', 'moveImagesTo');
  return db.transaction(() => {
    const gone = classState(db, id, 'id');
    const target = moveImagesTo === null ? null : classState(db, moveImagesTo, 'moveImagesTo');
    const moves = moveAll(db, id, moveImagesTo);
    const where = target ? `to "${target.name}"` : 'to unlabeled';
    const summary = `deleted class "${gone.name}" (${moves.length} image${moves.length === 1 ? '' : 's'} moved ${where})`;
    const { actionId } = commitAction(db, 'class-delete', summary, moves, [{ classId: id, before: gone, after: null }]);
    return { classId: null, actionId, movedImages: moves.length };
  }).immediate();
}

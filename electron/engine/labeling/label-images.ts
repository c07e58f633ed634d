// Labeling actions on images: assign a class (or none), exclude from training with a
// reason, include again, and "keep one" of a duplicate group. Each is one undoable
// action written in one transaction.
import type Database from 'better-sqlite3';
import { ApiError } from '../../api/errors.js';
import type { ImageChange, ImageLabelState } from '../store/history-repo.js';
import { commitAction, type ActionOutcome } from './apply-action.js';

export interface LabelOutcome extends ActionOutcome {
  unchanged: number;
}

/** The current label state of each id, in the order given; throws naming the ids that do not exist. */
export function currentStates(db: Database.Database, ids: readonly number[]): Map<number, ImageLabelState> {
  const unique = [...new Set(ids)];
  const rows = db
    .prepare(
      `SELECT id, class_id AS classId, status, exclude_reason AS reason
         FROM images WHERE id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(unique)) as (ImageLabelState & { id: number })[];
  const states = new Map<number, ImageLabelState>();
  for (const r of rows) states.set(r.id, { classId: r.classId, status: r.status, reason: r.reason });
  const missing = unique.filter((id) => !states.has(id));
  if (missing.length > 0) {
    const shown = missing.slice(0, 5).map((id) => `#${id}`).join(', ');
    throw new ApiError('not_found', `no image ${shown}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''} in this project`, 'imageIds');
  }
  return states;
}

export function className(db: Database.Database, id: number, field: string): string {
  const row = db.prepare('SELECT name FROM classes WHERE id = ?').get(id) as { name: string } | undefined;
  if (!row) throw new ApiError('not_found', `no class #${id} in this project`, field);
  return row.name;
}

function outcome(result: ActionOutcome, total: number): LabelOutcome {
  return { ...result, unchanged: total - result.changed };
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

export function assignClass(db: Database.Database, imageIds: readonly number[], classId: number | null): LabelOutcome {
  const name = classId === null ? null : className(db, classId, 'classId');
  const states = currentStates(db, imageIds);
  const changes: ImageChange[] = [];
  for (const [imageId, before] of states) changes.push({ imageId, before, after: { ...before, classId } });
  const summary = name === null ? `unlabeled ${plural(states.size, 'image')}` : `labeled ${plural(states.size, 'image')} "${name}"`;
  return outcome(commitAction(db, 'assign', summary, changes), states.size);
}

/** Marks images "exclude from training"; each may carry its own reason (keep one) or share one. */
export function excludeImages(
  db: Database.Database,
  imageIds: readonly number[],
  reason: string | ((id: number) => string),
  kind = 'exclude',
  summary?: string,
): LabelOutcome {
  const states = currentStates(db, imageIds);
  const changes: ImageChange[] = [];
  for (const [imageId, before] of states) {
    const why = typeof reason === 'string' ? reason : reason(imageId);
    changes.push({ imageId, before, after: { ...before, status: 'excluded', reason: why } });
  }
  const text = summary ?? `excluded ${plural(states.size, 'image')} (${typeof reason === 'string' ? reason : kind})`;
  return outcome(commitAction(db, kind, text, changes), states.size);
}

export function includeImages(db: Database.Database, imageIds: readonly number[]): LabelOutcome {
  const states = currentStates(db, imageIds);
  const changes: ImageChange[] = [];
  for (const [imageId, before] of states) changes.push({ imageId, before, after: { ...before, status: 'ok', reason: null } });
  return outcome(commitAction(db, 'include', `included ${plural(states.size, 'image')} again`, changes), states.size);
}

/**
 * "Keep one": the kept image stays (and is included if it was excluded), the others are
 * excluded with a reason naming it. No file is touched. For exact duplicates the others
 * must really have the same bytes, so a stale screen cannot exclude the wrong images.
 */
export function keepOne(db: Database.Database, keepId: number, otherIds: readonly number[], kind: 'exact' | 'near'): LabelOutcome {
  const others = [...new Set(otherIds)].filter((id) => id !== keepId);
  if (others.length === 0) throw new ApiError('invalid_request', 'name at least one image other than the one to keep', 'otherIds');
  const states = currentStates(db, [keepId, ...others]);
  if (kind === 'exact') {
    const shas = db
      .prepare('SELECT DISTINCT sha256 FROM images WHERE id IN (SELECT value FROM json_each(?))')
      .pluck()
      .all(JSON.stringify([keepId, ...others]));
    if (shas.length !== 1) {
      throw new ApiError('conflict', 'these images are not all exact copies of each other any more: reload the duplicates view', 'otherIds');
    }
  }
  const reason = `${kind} duplicate of #${keepId}`;
  const changes: ImageChange[] = [];
  const keepBefore = states.get(keepId)!;
  changes.push({ imageId: keepId, before: keepBefore, after: { ...keepBefore, status: 'ok', reason: null } });
  for (const id of others) {
    const before = states.get(id)!;
    changes.push({ imageId: id, before, after: { ...before, status: 'excluded', reason } });
  }
  const summary = `kept #${keepId}, excluded ${plural(others.length, `${kind} duplicate`)}`;
  return outcome(commitAction(db, 'keep-one', summary, changes), changes.length);
}

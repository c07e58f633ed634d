// The persisted label history: one row per action, with the before/after state of every
// image and class it touched. Only storage lives here; what an action means and how
// undo applies it is in engine/labeling/.
import type Database from 'better-sqlite3';

/**
 * SQL `FROM` items for the label changes that stand: a class changed (not only the status)
 * by an action not undone, as `a` (the action, with its created_at) and `c` (the image's
 * change). "Relabeled since" (a run, an evaluation) is these, after a time.
 */
export const STANDING_RELABELS = `label_actions a
  JOIN label_image_changes c ON c.action_id = a.id AND c.before_class_id IS NOT c.after_class_id AND a.undone = 0`;

export type ImageStatusValue = 'ok' | 'excluded';

/** What labeling can change about one image. */
export interface ImageLabelState {
  classId: number | null;
  status: ImageStatusValue;
  reason: string | null;
}

export interface ImageChange {
  imageId: number;
  before: ImageLabelState;
  after: ImageLabelState;
}

/** A class as it was on one side of an action; null = it did not exist. */
export interface ClassState {
  name: string;
  position: number;
}

export interface ClassChange {
  classId: number;
  before: ClassState | null;
  after: ClassState | null;
}

export interface ActionRow {
  id: number;
  kind: string;
  summary: string;
  createdAt: string;
  undone: boolean;
  imageCount: number;
}

interface ImageChangeRow {
  imageId: number;
  bc: number | null;
  ac: number | null;
  bs: ImageStatusValue;
  as: ImageStatusValue;
  br: string | null;
  ar: string | null;
}

interface ClassChangeRow {
  classId: number;
  bn: string | null;
  bp: number | null;
  an: string | null;
  ap: number | null;
}

const ACTION_COLUMNS = `a.id, a.kind, a.summary, a.created_at AS createdAt, a.undone,
  (SELECT count(*) FROM label_image_changes c WHERE c.action_id = a.id) AS imageCount`;

function toAction(row: Omit<ActionRow, 'undone'> & { undone: number }): ActionRow {
  return { ...row, undone: row.undone === 1 };
}

export class HistoryRepo {
  private readonly insertImage: Database.Statement;
  private readonly insertClass: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.insertImage = db.prepare(
      `INSERT INTO label_image_changes (action_id, image_id, before_class_id, after_class_id, before_status,
                                        after_status, before_reason, after_reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertClass = db.prepare(
      `INSERT INTO label_class_changes (action_id, class_id, before_name, before_position, after_name, after_position)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
  }

  /** Stores one action; the caller holds the transaction that also applied it. */
  record(kind: string, summary: string, images: readonly ImageChange[], classes: readonly ClassChange[]): number {
    const id = Number(this.db.prepare('INSERT INTO label_actions (kind, summary) VALUES (?, ?)').run(kind, summary).lastInsertRowid);
    for (const c of classes) {
      this.insertClass.run(id, c.classId, c.before?.name ?? null, c.before?.position ?? null, c.after?.name ?? null, c.after?.position ?? null);
    }
    for (const c of images) {
      this.insertImage.run(id, c.imageId, c.before.classId, c.after.classId, c.before.status, c.after.status, c.before.reason, c.after.reason);
    }
    return id;
  }

  /** A new action after undos makes the undone ones unreachable: they go. */
  discardRedo(): number {
    return this.db.prepare('DELETE FROM label_actions WHERE undone = 1').run().changes;
  }

  /** Keeps the newest `keep` actions; older ones can no longer be undone. */
  prune(keep: number): number {
    return this.db
      .prepare('DELETE FROM label_actions WHERE id <= (SELECT id FROM label_actions ORDER BY id DESC LIMIT 1 OFFSET ?)')
      .run(keep).changes;
  }

  /** The action undo would revert: the newest one not undone. */
  lastDone(): ActionRow | undefined {
    const row = this.db.prepare(`SELECT ${ACTION_COLUMNS} FROM label_actions a WHERE undone = 0 ORDER BY id DESC LIMIT 1`).get();
    return row ? toAction(row as ActionRow & { undone: number }) : undefined;
  }

  /** The action redo would re-apply: the oldest undone one. */
  firstUndone(): ActionRow | undefined {
    const row = this.db.prepare(`SELECT ${ACTION_COLUMNS} FROM label_actions a WHERE undone = 1 ORDER BY id LIMIT 1`).get();
    return row ? toAction(row as ActionRow & { undone: number }) : undefined;
  }

  get(id: number): ActionRow | undefined {
    const row = this.db.prepare(`SELECT ${ACTION_COLUMNS} FROM label_actions a WHERE id = ?`).get(id);
    return row ? toAction(row as ActionRow & { undone: number }) : undefined;
  }

  setUndone(id: number, undone: boolean): void {
    this.db.prepare('UPDATE label_actions SET undone = ? WHERE id = ?').run(undone ? 1 : 0, id);
  }

  /** Newest first. */
  list(limit: number): ActionRow[] {
    return (
      this.db.prepare(`SELECT ${ACTION_COLUMNS} FROM label_actions a ORDER BY id DESC LIMIT ?`).all(limit) as (ActionRow & {
        undone: number;
      })[]
    ).map(toAction);
  }

  imageChanges(actionId: number): ImageChange[] {
    const rows = this.db
      .prepare(
        `SELECT image_id AS imageId, before_class_id AS bc, after_class_id AS ac, before_status AS bs,
                after_status AS "as", before_reason AS br, after_reason AS ar
           FROM label_image_changes WHERE action_id = ? ORDER BY image_id`,
      )
      .all(actionId) as ImageChangeRow[];
    return rows.map((r) => ({
      imageId: r.imageId,
      before: { classId: r.bc, status: r.bs, reason: r.br },
      after: { classId: r.ac, status: r.as, reason: r.ar },
    }));
  }

  classChanges(actionId: number): ClassChange[] {
    const rows = this.db
      .prepare(
        `SELECT class_id AS classId, before_name AS bn, before_position AS bp, after_name AS an, after_position AS ap
           FROM label_class_changes WHERE action_id = ? ORDER BY class_id`,
      )
      .all(actionId) as ClassChangeRow[];
    return rows.map((r) => ({
      classId: r.classId,
      before: r.bn === null ? null : { name: r.bn, position: r.bp ?? 0 },
      after: r.an === null ? null : { name: r.an, position: r.ap ?? 0 },
    }));
  }

  /**
   * A class brought back by undo or redo under a new id (its old id was taken meanwhile
   * by a class an import created). History is a stack, so the actions that mean the old
   * class are on one side of `actionId`: up to it for undo (the class existed before),
   * from it on for redo (the class was created by it). Those are rewritten to the new id;
   * the others mean the import's class.
   */
  remapClass(oldId: number, newId: number, actionId: number, direction: 'undo' | 'redo'): void {
    const range = direction === 'undo' ? 'action_id <= ?' : 'action_id >= ?';
    this.db
      .prepare(`UPDATE label_image_changes SET before_class_id = ? WHERE before_class_id = ? AND ${range}`)
      .run(newId, oldId, actionId);
    this.db
      .prepare(`UPDATE label_image_changes SET after_class_id = ? WHERE after_class_id = ? AND ${range}`)
      .run(newId, oldId, actionId);
    this.db.prepare(`UPDATE label_class_changes SET class_id = ? WHERE class_id = ? AND ${range}`).run(newId, oldId, actionId);
  }
}

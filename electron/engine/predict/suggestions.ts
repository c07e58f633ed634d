// Suggested labels: what a model predicted for an image added from the Predict screen,
// kept beside the label and never as it. An image counts as waiting for review while it
// has a suggestion and no label; confirming is the ordinary, undoable label action (so
// an undo brings the suggestion back), dismissing clears the suggestion. The current
// split's test images are left out, like every curation view (the lockbox).
import type Database from 'better-sqlite3';
import { notInTestSql } from '../store/splits-repo.js';

export interface SuggestedImage {
  imageId: number;
  sha256: string;
  relPath: string;
  suggestedClassId: number;
  suggestedClass: string;
  confidence: number | null;
  byRunId: number | null;
}

/**
 * Read through the partial index of suggested images: left to itself the planner walks
 * the status index, every image of a 100,000-image project (100 ms, on every Library
 * load), for the few that carry a suggestion.
 */
const SUGGESTED = 'images i INDEXED BY images_suggested';
const WAITING = `i.suggested_class_id IS NOT NULL AND i.class_id IS NULL AND i.status = 'ok' AND ${notInTestSql('i')}`;

export class SuggestionsRepo {
  constructor(private readonly db: Database.Database) {}

  /** Records a suggestion on an unlabeled image; returns false (and changes nothing) if it has a label. */
  suggest(imageId: number, classId: number, runId: number | null, confidence: number | null): boolean {
    const r = this.db
      .prepare('UPDATE images SET suggested_class_id = ?, suggested_by_run = ?, suggested_confidence = ? WHERE id = ? AND class_id IS NULL')
      .run(classId, runId, confidence, imageId);
    return r.changes === 1;
  }

  count(): number {
    return this.db.prepare(`SELECT count(*) FROM ${SUGGESTED} WHERE ${WAITING}`).pluck().get() as number;
  }

  /** Images waiting for review, surest suggestion first. */
  list(offset: number, limit: number): SuggestedImage[] {
    return this.db
      .prepare(
        `SELECT i.id AS imageId, i.sha256, i.rel_path AS relPath, i.suggested_class_id AS suggestedClassId, c.name AS suggestedClass,
                i.suggested_confidence AS confidence, i.suggested_by_run AS byRunId
           FROM ${SUGGESTED} JOIN classes c ON c.id = i.suggested_class_id
          WHERE ${WAITING}
          ORDER BY i.suggested_confidence DESC NULLS LAST, i.id
          LIMIT ? OFFSET ?`,
      )
      .all(limit, offset) as SuggestedImage[];
  }

  /** Clears the suggestions of these images; returns how many had one. */
  dismiss(imageIds: readonly number[]): number {
    const clear = this.db.prepare(
      'UPDATE images SET suggested_class_id = NULL, suggested_by_run = NULL, suggested_confidence = NULL WHERE id = ? AND suggested_class_id IS NOT NULL',
    );
    return this.db.transaction(() => imageIds.reduce((n, id) => n + clear.run(id).changes, 0))();
  }
}

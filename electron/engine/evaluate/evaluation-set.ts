// The images an evaluation scores: given image ids (a split's validation part, or the
// test part the lockbox released), the labeled, non-excluded ones with their CURRENT
// labels, as indices into the model's classes. Current labels, because a label fixed
// since training is the truth now; the images whose label changed after the run was
// created are listed, so the result can say the run was trained on old labels.
import type Database from 'better-sqlite3';
import { STANDING_RELABELS } from '../store/history-repo.js';
import type { TrainingItem } from '../train/data/training-set.js';

export interface EvaluationSet {
  /** Ordered by image id (the order training validated in). `label` indexes the model's classes. */
  items: TrainingItem[];
  skipped: {
    unlabeled: number;
    excluded: number;
    /** Labeled with a class the model does not know (created or renamed since the run). */
    classNotInModel: number;
  };
  /** Evaluated images whose class was changed by a labeling action after the run was created. */
  labelsChangedSinceRun: number[];
}

interface Row {
  imageId: number;
  path: string;
  pathBytes: Buffer;
  sha256: string;
  width: number;
  height: number;
  className: string | null;
  status: string;
}

/**
 * Images whose class a labeling action changed after `since` (an ISO time as the
 * database writes it), not counting undone actions.
 */
export function imagesRelabeledSince(db: Database.Database, imageIds: readonly number[], since: string): Set<number> {
  const ids = db
    .prepare(
      `SELECT DISTINCT c.image_id FROM ${STANDING_RELABELS}
        WHERE a.created_at > ? AND c.image_id IN (SELECT value FROM json_each(?))`,
    )
    .pluck()
    .all(since, JSON.stringify(imageIds)) as number[];
  return new Set(ids);
}

export function loadEvaluationSet(db: Database.Database, imageIds: readonly number[], modelClasses: readonly string[], runCreatedAt: string): EvaluationSet {
  const rows = db
    .prepare(
      `SELECT i.id AS imageId, i.path, i.path_bytes AS pathBytes, i.sha256, i.width, i.height, c.name AS className, i.status
         FROM images i LEFT JOIN classes c ON c.id = i.class_id
        WHERE i.id IN (SELECT value FROM json_each(?))
        ORDER BY i.id`,
    )
    .all(JSON.stringify(imageIds)) as Row[];
  const index = new Map(modelClasses.map((name, i) => [name, i]));
  const skipped = { unlabeled: 0, excluded: 0, classNotInModel: 0 };
  const items: TrainingItem[] = [];
  for (const r of rows) {
    if (r.status !== 'ok') skipped.excluded++;
    else if (r.className === null) skipped.unlabeled++;
    else if (!index.has(r.className)) skipped.classNotInModel++;
    else {
      items.push({ imageId: r.imageId, path: r.path, pathBytes: r.pathBytes, sha256: r.sha256, width: r.width, height: r.height, label: index.get(r.className)! });
    }
  }
  const changed = imagesRelabeledSince(
    db,
    items.map((i) => i.imageId),
    runCreatedAt,
  );
  return { items, skipped, labelsChangedSinceRun: items.filter((i) => changed.has(i.imageId)).map((i) => i.imageId) };
}

/**
 * How many images of a split version's part an evaluation would score (labeled, not
 * excluded, of a class the model knows). A count only: it releases no test image.
 */
export function countEvaluable(db: Database.Database, versionId: number, split: 'validation' | 'test', modelClasses: readonly string[]): number {
  return db
    .prepare(
      `SELECT count(*) FROM split_assignments a
         JOIN images i ON i.id = a.image_id
         JOIN classes c ON c.id = i.class_id
        WHERE a.version_id = ? AND a.split = ? AND i.status = 'ok' AND c.name IN (SELECT value FROM json_each(?))`,
    )
    .pluck()
    .get(versionId, split, JSON.stringify(modelClasses)) as number;
}

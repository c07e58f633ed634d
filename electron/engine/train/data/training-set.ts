// What a run trains and validates on: the labeled, non-excluded images of one split
// version's train and validation parts, with their current labels. The test part is
// never read here (the lockbox): this query is the only way images reach training.
import type Database from 'better-sqlite3';
import { ApiError } from '../../../api/errors.js';

export interface TrainingItem {
  imageId: number;
  /** Readable path, for messages. */
  path: string;
  /** The exact bytes of the path (names need not be UTF-8): what to open. */
  pathBytes: Buffer;
  sha256: string;
  width: number;
  height: number;
  /** Index into TrainingSet.classes. */
  label: number;
}

export interface TrainingSet {
  splitVersionId: number;
  classes: { id: number; name: string }[];
  train: TrainingItem[];
  validation: TrainingItem[];
  /** Images in the version that were left out: unlabeled now, or excluded since. */
  skipped: { unlabeled: number; excluded: number };
}

interface Row {
  imageId: number;
  path: string;
  pathBytes: Buffer;
  sha256: string;
  width: number;
  height: number;
  classId: number | null;
  className: string | null;
  position: number | null;
  status: string;
  split: 'train' | 'validation';
}

/** The newest split version, or a clear error telling the user to make one. */
export function currentSplitVersion(db: Database.Database): number {
  const id = db.prepare('SELECT max(id) FROM split_versions').pluck().get() as number | null;
  if (id === null) throw new ApiError('conflict', 'this project has no split yet: make a train/validation/test split first', 'splitVersion');
  return id;
}

export function loadTrainingSet(db: Database.Database, splitVersionId: number): TrainingSet {
  const exists = db.prepare('SELECT 1 FROM split_versions WHERE id = ?').get(splitVersionId);
  if (!exists) throw new ApiError('not_found', `split version ${splitVersionId} does not exist`, 'splitVersion');
  const rows = db
    .prepare(
      `SELECT i.id AS imageId, i.path, i.path_bytes AS pathBytes, i.sha256, i.width, i.height, i.class_id AS classId, c.name AS className,
              c.position, i.status, a.split
         FROM split_assignments a
         JOIN images i ON i.id = a.image_id
         LEFT JOIN classes c ON c.id = i.class_id
        WHERE a.version_id = ? AND a.split IN ('train', 'validation')
        ORDER BY a.image_id`,
    )
    .all(splitVersionId) as Row[];

  const skipped = { unlabeled: 0, excluded: 0 };
  const byClass = new Map<number, { name: string; position: number; train: number; validation: number }>();
  const kept: Row[] = [];
  for (const r of rows) {
    if (r.status !== 'ok') skipped.excluded++;
    else if (r.classId === null) skipped.unlabeled++;
    else {
      kept.push(r);
      const c = byClass.get(r.classId) ?? { name: r.className!, position: r.position ?? 0, train: 0, validation: 0 };
      c[r.split]++;
      byClass.set(r.classId, c);
    }
  }
  const classes = [...byClass.entries()]
    .sort((a, b) => a[1].position - b[1].position || a[1].name.localeCompare(b[1].name))
    .map(([id, c]) => ({ id, name: c.name, train: c.train }));
  if (classes.length < 2) {
    throw new ApiError(
      'conflict',
      `training needs at least two classes with labeled images in split version ${splitVersionId}; it has ${classes.length}`,
      'splitVersion',
    );
  }
  const empty = classes.find((c) => c.train === 0);
  if (empty) {
    throw new ApiError(
      'conflict',
      `class "${empty.name}" has no training images in split version ${splitVersionId}: label more images or make a new split`,
      'splitVersion',
    );
  }
  const index = new Map(classes.map((c, i) => [c.id, i]));
  const toItem = (r: Row): TrainingItem => ({
    imageId: r.imageId,
    path: r.path,
    pathBytes: r.pathBytes,
    sha256: r.sha256,
    width: r.width,
    height: r.height,
    label: index.get(r.classId!)!,
  });
  return {
    splitVersionId,
    classes: classes.map(({ id, name }) => ({ id, name })),
    train: kept.filter((r) => r.split === 'train').map(toItem),
    validation: kept.filter((r) => r.split === 'validation').map(toItem),
    skipped,
  };
}

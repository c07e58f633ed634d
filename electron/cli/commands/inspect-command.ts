// holdout inspect --project <dir> [--threshold N]
// One JSON line describing what the "Look at your data" screen shows: class counts and
// balance, the ten smallest and largest files, duplicate and near-duplicate clusters,
// conflicting labels and bad files. Looks at the images that take part in training
// (not excluded), so a cluster resolved with "keep one" no longer appears.
import type Database from 'better-sqlite3';
import { badFiles } from '../../engine/curation/bad-files.js';
import { conflictingLabels, exactDuplicates } from '../../engine/curation/exact-duplicates.js';
import { extremes } from '../../engine/curation/extremes.js';
import { classHistogram } from '../../engine/curation/histogram.js';
import { nearDuplicates } from '../../engine/curation/near-duplicates.js';
import { openForReading } from '../open-project.js';
import { emitLine } from '../output.js';

export const DEFAULT_THRESHOLD = 6;
const EXTREMES = 10;
const TRAINING = { status: 'ok' } as const;

interface Described {
  path: string;
  label: string | null;
}

/** Paths and class names of the images a line mentions, read once. */
function describe(db: Database.Database, ids: readonly number[]): Map<number, Described> {
  const rows = db
    .prepare(
      `SELECT i.id, i.path, c.name AS label FROM images i LEFT JOIN classes c ON c.id = i.class_id
        WHERE i.id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify([...new Set(ids)])) as ({ id: number } & Described)[];
  return new Map(rows.map((r) => [r.id, { path: r.path, label: r.label }]));
}

export async function inspectCommand(args: { project: string; threshold: number }): Promise<number> {
  const project = openForReading(args.project);
  try {
    const db = project.db;
    const hist = classHistogram(db);
    const smallest = extremes(db, 'bytes', 'smallest', EXTREMES, TRAINING);
    const largest = extremes(db, 'bytes', 'largest', EXTREMES, TRAINING);
    const exact = exactDuplicates(db, TRAINING, 0, Number.MAX_SAFE_INTEGER);
    const near = await nearDuplicates(db, args.threshold, TRAINING, 0, Number.MAX_SAFE_INTEGER);
    const conflicts = conflictingLabels(db, 0, Number.MAX_SAFE_INTEGER);
    const bad = badFiles(db, 0, Number.MAX_SAFE_INTEGER);
    const info = describe(db, [
      ...smallest.map((t) => t.id),
      ...largest.map((t) => t.id),
      ...exact.clusters.flatMap((c) => c.images.map((t) => t.id)),
      ...near.clusters.flatMap((c) => c.images.map((t) => t.id)),
      ...conflicts.clusters.flatMap((c) => c.images.map((t) => t.id)),
    ]);
    const file = (t: { id: number; value: number; width: number; height: number }) => ({
      id: t.id,
      path: info.get(t.id)?.path ?? '',
      bytes: t.value,
      width: t.width,
      height: t.height,
    });
    const member = (t: { id: number }) => ({ id: t.id, path: info.get(t.id)?.path ?? '', label: info.get(t.id)?.label ?? null });
    emitLine('inspect', {
      project: project.dir,
      images: hist.total,
      excluded: hist.excluded,
      unlabeled: hist.unlabeled,
      classes: hist.classes.map((c) => ({ name: c.name, count: c.count, share: c.share, rare: c.rare })),
      rare_rule: hist.rareRule,
      imbalance_ratio: hist.imbalanceRatio,
      warning: hist.warning,
      smallest_files: smallest.map(file),
      largest_files: largest.map(file),
      exact_duplicates: exact.clusters.map((c) => ({ sha256: c.sha256, suggested_keep_id: c.suggestedKeepId, images: c.images.map(member) })),
      threshold: args.threshold,
      near_duplicates: near.clusters.map((c) => ({
        suggested_keep_id: c.suggestedKeepId,
        images: c.images.map((t) => ({ ...member(t), distance: t.distance })),
      })),
      conflicting_labels: conflicts.clusters.map((c) => ({ sha256: c.sha256, images: c.images.map(member) })),
      bad_files: bad.items.map((b) => ({ path: b.path, reason: b.reason })),
    });
    return 0;
  } finally {
    project.close();
  }
}

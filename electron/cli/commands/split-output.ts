// The JSON the split and leakage commands print: snake_case fields, absolute paths and
// class names instead of ids, warnings as plain sentences.
import type Database from 'better-sqlite3';
import type { LeakageReport, LeakedImage } from '../../engine/splits/leakage.js';
import type { ClassSplitStats } from '../../engine/splits/stats.js';

interface Described {
  path: string;
  label: string | null;
}

function describe(db: Database.Database, ids: readonly number[]): Map<number, Described> {
  if (ids.length === 0) return new Map();
  const rows = db
    .prepare(
      `SELECT i.id, i.path, c.name AS label FROM images i LEFT JOIN classes c ON c.id = i.class_id
        WHERE i.id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify([...new Set(ids)])) as ({ id: number } & Described)[];
  return new Map(rows.map((r) => [r.id, { path: r.path, label: r.label }]));
}

export function perClassJson(perClass: readonly ClassSplitStats[]) {
  return perClass.map((c) => ({ class: c.name, train: c.counts.train, validation: c.counts.validation, test: c.counts.test, achieved: c.achieved }));
}

export function leakageJson(db: Database.Database, leakage: LeakageReport) {
  const info = describe(db, leakage.pairs.flatMap((p) => [p.a.id, p.b.id]));
  const image = (img: LeakedImage) => ({ id: img.id, path: info.get(img.id)?.path ?? img.relPath, class: info.get(img.id)?.label ?? null, split: img.split });
  return {
    threshold: leakage.threshold,
    near_duplicate_pairs: leakage.nearDuplicatePairs,
    groups_crossing: leakage.groupsCrossing,
    pairs: leakage.pairs.map((p) => ({ a: image(p.a), b: image(p.b), distance: p.distance })),
    groups: leakage.groups.map((g) => ({ source: g.source, name: g.name, ...g.counts })),
  };
}

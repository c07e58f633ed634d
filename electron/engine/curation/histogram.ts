// The class histogram: how many training images each class has, which classes are
// rare, and how unbalanced the classes are, with a warning in plain words.
import type Database from 'better-sqlite3';

/**
 * "Rare": fewer than RARE_MIN_IMAGES images, or fewer than RARE_MEDIAN_SHARE of the
 * median class's count. The first catches classes too small to learn and to validate
 * at all; the second catches classes that are small next to the others even when the
 * whole project is large. Counts are of images that take part in training (not excluded).
 */
export const RARE_MIN_IMAGES = 10;
export const RARE_MEDIAN_SHARE = 0.2;
/** Largest / smallest class at or above which the screen warns. */
export const IMBALANCE_WARNING_RATIO = 5;
export const RARE_RULE = `fewer than ${RARE_MIN_IMAGES} images, or fewer than ${RARE_MEDIAN_SHARE * 100}% of the median class's count`;

export interface HistogramClass {
  id: number;
  name: string;
  count: number;
  excluded: number;
  share: number;
  rare: boolean;
}

export interface Histogram {
  classes: HistogramClass[];
  unlabeled: number;
  excluded: number;
  total: number;
  imbalanceRatio: number | null;
  largestClassId: number | null;
  smallestClassId: number | null;
  rareRule: string;
  warning: string | null;
}

function median(sorted: readonly number[]): number {
  if (sorted.length === 0) return 0;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

function warningFor(classes: HistogramClass[], ratio: number | null): string | null {
  const parts: string[] = [];
  const nonEmpty = classes.filter((c) => c.count > 0);
  if (ratio !== null && ratio >= IMBALANCE_WARNING_RATIO) {
    const big = nonEmpty[0]!;
    const small = nonEmpty[nonEmpty.length - 1]!;
    parts.push(
      `"${big.name}" has ${ratio.toFixed(1)} times as many images as "${small.name}" (${big.count} against ${small.count}). ` +
        `A model trained on this learns to guess "${big.name}" and can look accurate while it misses "${small.name}". ` +
        `Add images of the small classes, or merge or remove classes you cannot fill.`,
    );
  }
  const empty = classes.filter((c) => c.count === 0).map((c) => c.name);
  if (empty.length > 0) parts.push(`${quoted(empty)} ${empty.length === 1 ? 'has' : 'have'} no images to train on.`);
  const rare = classes.filter((c) => c.rare && c.count > 0).map((c) => c.name);
  if (rare.length > 0) {
    parts.push(`${quoted(rare)} ${rare.length === 1 ? 'is' : 'are'} rare (${RARE_RULE}): the model will see few examples and the test will measure ${rare.length === 1 ? 'it' : 'them'} poorly.`);
  }
  return parts.length ? parts.join(' ') : null;
}

export function classHistogram(db: Database.Database): Histogram {
  // Two index-only counts instead of a pass over every row: per class through the
  // class index, and the (usually few) excluded images through the status index.
  const all = db.prepare('SELECT class_id AS classId, count(*) AS n FROM images GROUP BY class_id').all() as {
    classId: number | null;
    n: number;
  }[];
  const excludedRows = db
    .prepare(`SELECT class_id AS classId, count(*) AS n FROM images WHERE status = 'excluded' GROUP BY class_id`)
    .all() as { classId: number | null; n: number }[];
  const out = new Map(excludedRows.map((g) => [g.classId, g.n]));
  const ok = new Map(all.map((g) => [g.classId, g.n - (out.get(g.classId) ?? 0)]));
  const totals = {
    total: all.reduce((s, g) => s + g.n, 0),
    excluded: excludedRows.reduce((s, g) => s + g.n, 0),
    unlabeled: ok.get(null) ?? 0,
  };
  const rows = (db.prepare('SELECT id, name FROM classes').all() as { id: number; name: string }[]).map((c) => ({
    ...c,
    count: ok.get(c.id) ?? 0,
    excluded: out.get(c.id) ?? 0,
  }));
  const labeled = rows.reduce((s, r) => s + r.count, 0);
  const med = median(rows.map((r) => r.count).sort((a, b) => a - b));
  const classes: HistogramClass[] = rows
    .map((r) => ({
      ...r,
      share: labeled > 0 ? r.count / labeled : 0,
      rare: r.count < RARE_MIN_IMAGES || r.count < RARE_MEDIAN_SHARE * med,
    }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  const nonEmpty = classes.filter((c) => c.count > 0);
  const largest = nonEmpty[0];
  const smallest = nonEmpty[nonEmpty.length - 1];
  const ratio = nonEmpty.length >= 2 ? largest!.count / smallest!.count : null;
  return {
    classes,
    unlabeled: totals.unlabeled,
    excluded: totals.excluded,
    total: totals.total,
    imbalanceRatio: ratio,
    largestClassId: nonEmpty.length >= 2 ? largest!.id : null,
    smallestClassId: nonEmpty.length >= 2 ? smallest!.id : null,
    rareRule: RARE_RULE,
    warning: warningFor(classes, ratio),
  };
}

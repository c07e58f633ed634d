// Counts of a split: per split, per class per split, and the shares achieved, in
// percent with two decimals (what the wizard and the command line show).
import { round } from './ratios.js';
import { emptyCounts, SPLITS, type ClassRef, type Ratios, type SplitCounts } from './types.js';

export interface ClassSplitStats {
  classId: number;
  name: string;
  counts: SplitCounts;
  total: number;
  achieved: Ratios;
}

export interface SplitStats {
  counts: SplitCounts;
  total: number;
  achieved: Ratios;
  perClass: ClassSplitStats[];
}

export function shares(counts: SplitCounts): Ratios {
  const total = counts.train + counts.validation + counts.test;
  const pct = (n: number) => (total === 0 ? 0 : round((100 * n) / total));
  return { train: pct(counts.train), validation: pct(counts.validation), test: pct(counts.test) };
}

/**
 * `members`: (class id, split index) of every image in the split. Classes are listed
 * in the given order; a class without images is left out.
 */
export function splitStats(members: Iterable<{ classId: number; split: number }>, classes: readonly ClassRef[]): SplitStats {
  const byClass = new Map<number, SplitCounts>();
  const counts = emptyCounts();
  for (const m of members) {
    const name = SPLITS[m.split]!;
    let c = byClass.get(m.classId);
    if (!c) byClass.set(m.classId, (c = emptyCounts()));
    c[name]++;
    counts[name]++;
  }
  const perClass: ClassSplitStats[] = [];
  const known = new Set<number>();
  const add = (classId: number, name: string) => {
    const c = byClass.get(classId);
    if (!c) return;
    known.add(classId);
    perClass.push({ classId, name, counts: c, total: c.train + c.validation + c.test, achieved: shares(c) });
  };
  for (const cls of classes) add(cls.id, cls.name);
  // A class id missing from `classes` (deleted meanwhile) is still counted, by number.
  for (const id of byClass.keys()) if (!known.has(id)) add(id, `class ${id}`);
  const total = counts.train + counts.validation + counts.test;
  return { counts, total, achieved: shares(counts), perClass };
}

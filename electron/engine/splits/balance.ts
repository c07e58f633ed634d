// Puts whole groups into splits so that each class's counts land as close to its
// targets as the groups allow.
//
// Order: groups shuffled by the seed (this is the random sampling without replacement:
// which images fill which split; the shuffle is a Fisher–Yates driven by mulberry32,
// curation/prng.ts, so a recorded seed redraws the same split anywhere), then stably sorted largest first, so the big, hard to
// place groups go while every split still has room and the small ones fill the gaps
// (the "largest first" rule of greedy partitioning).
//
// Choice: each group goes to the allowed split where it increases the error least. The
// error is the sum over classes of (count − target)², weighted by 1 / class size so that
// a mixed group does not sacrifice a small class's balance to a large one's. For
// groups of one class this is "the split with the largest deficit", which ends with
// every count within one group size of its target — for single images, within one
// image (test/unit/splits/split-properties.test.ts checks both).
import { shuffledPrefix } from '../curation/prng.js';

export const SPLIT_COUNT = 3;

export interface BalanceProblem {
  /** Image indexes of each group. */
  groups: readonly (readonly number[])[];
  /** Class index (0 … nClasses−1) of each image. */
  classOf: Int32Array;
  nClasses: number;
  /** Target count of class c in split s at [c * 3 + s]; real numbers. */
  targets: Float64Array;
  /** Counts already in each split (images placed by an earlier version), same layout. */
  initial?: Int32Array;
  /** The split indexes a group may go to (a split with a zero share never receives one). */
  allowed: readonly number[];
  seed: number;
}

export interface BalanceResult {
  /** Split index of each group. */
  splitOfGroup: Uint8Array;
  /** Final counts, including `initial`, at [c * 3 + s]. */
  counts: Int32Array;
}

export function balanceGroups(p: BalanceProblem): BalanceResult {
  if (p.allowed.length === 0) throw new Error('balanceGroups: no split allowed');
  const counts = p.initial ? Int32Array.from(p.initial) : new Int32Array(p.nClasses * SPLIT_COUNT);
  const weight = new Float64Array(p.nClasses);
  for (let c = 0; c < p.nClasses; c++) {
    let total = 0;
    for (let s = 0; s < SPLIT_COUNT; s++) total += p.targets[c * SPLIT_COUNT + s]!;
    weight[c] = 1 / Math.max(1, total);
  }

  const totals = new Float64Array(SPLIT_COUNT);
  const totalTargets = new Float64Array(SPLIT_COUNT);
  for (let c = 0; c < p.nClasses; c++) {
    for (let s = 0; s < SPLIT_COUNT; s++) {
      totals[s] = totals[s]! + counts[c * SPLIT_COUNT + s]!;
      totalTargets[s] = totalTargets[s]! + p.targets[c * SPLIT_COUNT + s]!;
    }
  }

  const order = shuffledPrefix(
    p.groups.map((_, g) => g),
    p.groups.length,
    p.seed,
  );
  // Array.prototype.sort is stable: equal sizes keep the shuffled order.
  order.sort((a, b) => p.groups[b]!.length - p.groups[a]!.length);

  const splitOfGroup = new Uint8Array(p.groups.length);
  const inGroup = new Int32Array(p.nClasses);
  const touched: number[] = [];
  for (const g of order) {
    for (const img of p.groups[g]!) {
      const c = p.classOf[img]!;
      if (inGroup[c] === 0) touched.push(c);
      inGroup[c]!++;
    }
    let best = p.allowed[0]!;
    let bestCost = Infinity;
    let bestOverall = Infinity;
    for (const s of p.allowed) {
      // Change of Σ w (count − target)² when the group's n images of class c are added.
      let cost = 0;
      for (const c of touched) {
        const n = inGroup[c]!;
        const over = counts[c * SPLIT_COUNT + s]! - p.targets[c * SPLIT_COUNT + s]!;
        cost += weight[c]! * n * (n + 2 * over);
      }
      // Ties (two splits equally short of a class's target, as with 7.5 and 7.5) go to
      // the split further below its overall target, so that per-class rounding does not
      // add up to 16 / 14 where 15 / 15 was possible.
      const size = p.groups[g]!.length;
      const overall = size * (size + 2 * (totals[s]! - totalTargets[s]!));
      if (cost < bestCost || (cost === bestCost && overall < bestOverall)) {
        bestCost = cost;
        bestOverall = overall;
        best = s;
      }
    }
    splitOfGroup[g] = best;
    totals[best] = totals[best]! + p.groups[g]!.length;
    for (const c of touched) {
      counts[c * SPLIT_COUNT + best] = counts[c * SPLIT_COUNT + best]! + inGroup[c]!;
      inGroup[c] = 0;
    }
    touched.length = 0;
  }
  return { splitOfGroup, counts };
}

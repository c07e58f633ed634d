// The balancer on cases whose right answer is clear, and on groups of mixed classes,
// where it must stay close to the targets (a random assignment of groups does not).
import { describe, expect, it } from 'vitest';
import { balanceGroups, type BalanceProblem } from '../../../electron/engine/splits/balance.js';

function problem(groupSizes: number[][], ratios = [70, 15, 15], extra: Partial<BalanceProblem> = {}): BalanceProblem {
  // groupSizes[g][c]: images of class c in group g.
  const classOf: number[] = [];
  const groups = groupSizes.map((sizes) => {
    const members: number[] = [];
    sizes.forEach((n, c) => {
      for (let k = 0; k < n; k++) {
        members.push(classOf.length);
        classOf.push(c);
      }
    });
    return members;
  });
  const nClasses = Math.max(...groupSizes.map((s) => s.length));
  const totals = new Array<number>(nClasses).fill(0);
  for (const c of classOf) totals[c]!++;
  const targets = new Float64Array(nClasses * 3);
  for (let c = 0; c < nClasses; c++) for (let s = 0; s < 3; s++) targets[c * 3 + s] = (totals[c]! * ratios[s]!) / 100;
  return { groups, classOf: Int32Array.from(classOf), nClasses, targets, allowed: [0, 1, 2].filter((s) => ratios[s]! > 0), seed: 7, ...extra };
}

describe('balanceGroups', () => {
  it('sends a group too big for validation or test to train, and fills the rest around it', () => {
    // One class, 100 images: a group of 30 and 70 single images.
    const p = problem([[30], ...Array.from({ length: 70 }, () => [1])]);
    const r = balanceGroups(p);
    expect(r.splitOfGroup[0]).toBe(0);
    expect(Array.from(r.counts)).toEqual([70, 15, 15]);
  });

  it('never uses a split with a zero share, even when the others overflow', () => {
    const p = problem([[50], [40], [10]], [80, 20, 0]);
    const r = balanceGroups(p);
    expect(r.counts[2]).toBe(0);
    expect(Array.from(r.splitOfGroup).every((s) => s !== 2)).toBe(true);
  });

  it('counts what was already placed (new images after a split)', () => {
    // 70 train, 15 validation already; 15 new images, test not allowed: targets over 100 for train/validation.
    const p = problem(Array.from({ length: 15 }, () => [1]), [70, 15, 15], {
      initial: Int32Array.from([70, 15, 0]),
      targets: Float64Array.from([100 * (70 / 85), 100 * (15 / 85), 0]),
      allowed: [0, 1],
    });
    const r = balanceGroups(p);
    expect(Array.from(r.counts)).toEqual([82, 18, 0]);
  });

  it('keeps mixed-class groups close to each class target, far closer than placing groups at random', () => {
    // 300 groups of 1-12 images, each mostly of one of 4 classes with some of another.
    let x = 12345;
    const rand = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const sizes = Array.from({ length: 300 }, () => {
      const row = [0, 0, 0, 0];
      const main = Math.floor(rand() * 4);
      const n = 1 + Math.floor(rand() * 12);
      for (let k = 0; k < n; k++) row[rand() < 0.25 ? Math.floor(rand() * 4) : main]!++;
      return row;
    });
    const p = problem(sizes);
    const r = balanceGroups(p);
    let worst = 0;
    for (let i = 0; i < p.targets.length; i++) worst = Math.max(worst, Math.abs(r.counts[i]! - p.targets[i]!));
    expect(worst).toBeLessThan(3);
    // The baseline: each group to a split drawn with the target shares.
    const naive = new Int32Array(p.targets.length);
    p.groups.forEach((members) => {
      const u = rand();
      const s = u < 0.7 ? 0 : u < 0.85 ? 1 : 2;
      for (const i of members) naive[p.classOf[i]! * 3 + s]!++;
    });
    let naiveWorst = 0;
    for (let i = 0; i < p.targets.length; i++) naiveWorst = Math.max(naiveWorst, Math.abs(naive[i]! - p.targets[i]!));
    expect(naiveWorst).toBeGreaterThan(3 * worst);
  });
});

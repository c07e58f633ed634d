// Properties of the split engine over random datasets (fast-check): every image in
// exactly one split, no group in two, per-class counts at their targets as far as the
// groups allow, and the seed alone deciding the outcome.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planSplit, type SplitPlan } from '../../../electron/engine/splits/split-plan.js';
import { SPLITS, type GroupSource, type Ratios, type SplitImage } from '../../../electron/engine/splits/types.js';
import { image } from './make-images.js';

const CLASSES = [1, 2, 3, 4, 5].map((id) => ({ id, name: `class${id}` }));

/** Integer percentages adding up to 100, train above 0, validation and test possibly 0. */
const ratiosArb: fc.Arbitrary<Ratios> = fc
  .integer({ min: 0, max: 99 })
  .chain((validation) => fc.integer({ min: 0, max: 99 - validation }).map((test) => ({ train: 100 - validation - test, validation, test })));

interface Dataset {
  images: SplitImage[];
}

/** Images of 1–5 classes; `groupShare` of them get a group name within their class. */
function datasetArb(maxImages: number, grouped: boolean): fc.Arbitrary<Dataset> {
  return fc
    .array(
      fc.record({ classId: fc.integer({ min: 1, max: 5 }), group: grouped ? fc.option(fc.integer({ min: 0, max: 9 }), { nil: null }) : fc.constant(null) }),
      { minLength: 1, maxLength: maxImages },
    )
    .map((rows) => ({
      images: rows.map((r, i) => image(i + 1, r.classId, { group: r.group === null ? null : `c${r.classId}-g${r.group}` })),
    }));
}

function plan(images: SplitImage[], ratios: Ratios, seed: number, grouping: GroupSource[] = []): SplitPlan {
  return planSplit(images, { ratios, seed, grouping, classes: CLASSES });
}

function countsByClass(p: SplitPlan): Map<number, number[]> {
  const m = new Map<number, number[]>();
  p.images.forEach((img, i) => {
    const c = m.get(img.classId) ?? [0, 0, 0];
    c[p.splitOf[i]!]!++;
    m.set(img.classId, c);
  });
  return m;
}

const seedArb = fc.integer({ min: 0, max: 0xffffffff });

describe('split engine properties', () => {
  it('puts every image in exactly one split, and nothing in a split with a zero share', () => {
    fc.assert(
      fc.property(datasetArb(200, true), ratiosArb, seedArb, ({ images }, ratios, seed) => {
        const p = plan(images, ratios, seed, [{ kind: 'folder' }]);
        expect(p.splitOf).toHaveLength(images.length);
        for (let i = 0; i < images.length; i++) {
          const s = SPLITS[p.splitOf[i]!];
          expect(s).toBeDefined();
          expect(ratios[s!]).toBeGreaterThan(0);
        }
        expect(p.stats.total).toBe(images.length);
      }),
      { numRuns: 150 },
    );
  });

  it('never puts one group in two splits', () => {
    fc.assert(
      fc.property(datasetArb(200, true), ratiosArb, seedArb, ({ images }, ratios, seed) => {
        const p = plan(images, ratios, seed, [{ kind: 'folder' }]);
        const splitOfGroup = new Map<string, number>();
        images.forEach((img, i) => {
          if (img.group === null) return;
          const seen = splitOfGroup.get(img.group);
          if (seen === undefined) splitOfGroup.set(img.group, p.splitOf[i]!);
          else expect(p.splitOf[i]).toBe(seen);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('lands each class within one image of its target when every image is its own group', () => {
    fc.assert(
      fc.property(datasetArb(300, false), ratiosArb, seedArb, ({ images }, ratios, seed) => {
        const p = plan(images, ratios, seed);
        for (const [classId, counts] of countsByClass(p)) {
          const n = images.filter((img) => img.classId === classId).length;
          SPLITS.forEach((s, k) => expect(Math.abs(counts[k]! - (n * ratios[s]) / 100)).toBeLessThan(1));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('lands each class within one group of its target when groups stay inside a class', () => {
    fc.assert(
      fc.property(datasetArb(300, true), ratiosArb, seedArb, ({ images }, ratios, seed) => {
        const p = plan(images, ratios, seed, [{ kind: 'folder' }]);
        for (const [classId, counts] of countsByClass(p)) {
          const own = images.filter((img) => img.classId === classId);
          const sizes = new Map<string, number>();
          for (const img of own) if (img.group) sizes.set(img.group, (sizes.get(img.group) ?? 0) + 1);
          const largest = Math.max(1, ...sizes.values());
          SPLITS.forEach((s, k) => expect(Math.abs(counts[k]! - (own.length * ratios[s]) / 100)).toBeLessThan(largest));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same split for the same seed', () => {
    fc.assert(
      fc.property(datasetArb(200, true), ratiosArb, seedArb, ({ images }, ratios, seed) => {
        const a = plan(images, ratios, seed, [{ kind: 'folder' }]);
        const b = plan(images.slice(), ratios, seed, [{ kind: 'folder' }]);
        expect(Array.from(b.splitOf)).toEqual(Array.from(a.splitOf));
      }),
      { numRuns: 100 },
    );
  });

  it('gives a different split for a different seed once there is something to choose', () => {
    // 40+ images with at least 10 % each for validation and test: two seeds agreeing on
    // every image is astronomically unlikely unless the seed were ignored.
    const big = fc
      .array(fc.integer({ min: 1, max: 3 }), { minLength: 40, maxLength: 200 })
      .map((classes) => classes.map((c, i) => image(i + 1, c)));
    const evalRatios = fc.record({ validation: fc.integer({ min: 10, max: 30 }), test: fc.integer({ min: 10, max: 30 }) }).map((r) => ({ train: 100 - r.validation - r.test, ...r }));
    fc.assert(
      fc.property(big, evalRatios, seedArb, seedArb, (images, ratios, s1, s2) => {
        fc.pre(s1 !== s2);
        expect(Array.from(plan(images, ratios, s2).splitOf)).not.toEqual(Array.from(plan(images, ratios, s1).splitOf));
      }),
      { numRuns: 100 },
    );
  });
});

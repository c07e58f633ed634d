// New images after a split: they never move an image already placed, never go to test
// unless allowed, follow their group where it is safe, and are held back where not.
import { describe, expect, it } from 'vitest';
import { extendSplit } from '../../../electron/engine/splits/extend.js';
import { UNASSIGNED } from '../../../electron/engine/splits/split-plan.js';
import { planSplit } from '../../../electron/engine/splits/split-plan.js';
import { SPLITS, type SplitImage, type SplitName } from '../../../electron/engine/splits/types.js';
import { image } from './make-images.js';

const classes = [
  { id: 1, name: 'moth' },
  { id: 2, name: 'beetle' },
];
const ratios = { train: 70, validation: 15, test: 15 };

function previousOf(images: SplitImage[], splitOf: Uint8Array): Map<number, SplitName> {
  return new Map(images.map((img, i) => [img.id, SPLITS[splitOf[i]!]!]));
}

describe('extendSplit', () => {
  const old = Array.from({ length: 100 }, (_, i) => image(i + 1, 1 + (i % 2)));
  const first = planSplit(old, { ratios, seed: 3, grouping: [], classes });
  const previous = previousOf(old, first.splitOf);

  it('puts new images in train and validation only, keeping every old image where it was', () => {
    const fresh = Array.from({ length: 40 }, (_, i) => image(1000 + i, 1 + (i % 2)));
    const all = [...old, ...fresh];
    const plan = extendSplit(all, { ratios, seed: 3, grouping: [], classes, previous, allowTest: false });
    all.forEach((img, i) => {
      if (previous.has(img.id)) expect(SPLITS[plan.splitOf[i]!]).toBe(previous.get(img.id));
    });
    expect(plan.added).toHaveLength(40);
    expect(plan.addedStats.counts.test).toBe(0);
    // Train and validation share the new images in their own proportion, 70 : 15.
    expect(plan.addedStats.counts.train).toBeGreaterThanOrEqual(31);
    expect(plan.addedStats.counts.validation).toBeGreaterThanOrEqual(6);
    expect(plan.stats.counts.test).toBe(first.stats.counts.test);
  });

  it('lets new images into test only when allowed', () => {
    const fresh = Array.from({ length: 40 }, (_, i) => image(2000 + i, 1));
    const plan = extendSplit([...old, ...fresh], { ratios, seed: 3, grouping: [], classes, previous, allowTest: true });
    expect(plan.addedStats.counts.test).toBeGreaterThan(0);
  });

  it('sends a new image to its group\'s split, but holds it back when that split is test', () => {
    const grouped = old.map((img, i) => ({ ...img, group: `g${i}` }));
    const plan0 = planSplit(grouped, { ratios, seed: 5, grouping: [{ kind: 'folder' }], classes });
    const prev = previousOf(grouped, plan0.splitOf);
    const inTrain = grouped.find((img) => prev.get(img.id) === 'train')!;
    const inTest = grouped.find((img) => prev.get(img.id) === 'test')!;
    const joinTrain = image(3001, 1, { group: inTrain.group });
    const joinTest = image(3002, 1, { group: inTest.group });
    const all = [...grouped, joinTrain, joinTest];
    const plan = extendSplit(all, { ratios, seed: 5, grouping: [{ kind: 'folder' }], classes, previous: prev, allowTest: false });
    expect(SPLITS[plan.splitOf[all.length - 2]!]).toBe('train');
    expect(plan.splitOf[all.length - 1]).toBe(UNASSIGNED);
    expect(plan.heldBack).toEqual([{ index: all.length - 1, reason: 'test_group' }]);
    const allowed = extendSplit(all, { ratios, seed: 5, grouping: [{ kind: 'folder' }], classes, previous: prev, allowTest: true });
    expect(SPLITS[allowed.splitOf[all.length - 1]!]).toBe('test');
  });

  it('holds back a new image that links groups placed in different splits', () => {
    const a = image(1, 1, { group: 'a' });
    const b = image(2, 1, { group: 'b' });
    const bridge = image(3, 1, { group: 'a', phash: b.phash });
    const prev = new Map<number, SplitName>([
      [1, 'train'],
      [2, 'validation'],
    ]);
    const plan = extendSplit([a, b, bridge], { ratios, seed: 1, grouping: [{ kind: 'folder' }, { kind: 'near-duplicates', threshold: 4 }], classes, previous: prev, allowTest: true });
    expect(plan.heldBack).toEqual([{ index: 2, reason: 'mixed_group' }]);
    expect(plan.added).toEqual([]);
  });
});

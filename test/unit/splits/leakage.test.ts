// The leakage check counts every near-duplicate pair and crossing group, lists the
// closest pairs and the largest groups, and ignores what stays within one split.
import { describe, expect, it } from 'vitest';
import { checkLeakage, type PlacedImage } from '../../../electron/engine/splits/leakage.js';
import type { SplitName } from '../../../electron/engine/splits/types.js';
import { flipBits, hashFrom, image } from './make-images.js';

function placed(id: number, split: SplitName, extra: Partial<PlacedImage> = {}): PlacedImage {
  return { ...image(id, 1), split, ...extra };
}

describe('checkLeakage', () => {
  it('counts near-duplicate pairs across splits, closest first, and not those within one split', () => {
    const h = hashFrom(77);
    const images = [
      placed(1, 'train', { phash: h }),
      placed(2, 'test', { phash: h }), // identical to 1, across: a pair at 0
      placed(3, 'train', { phash: h }), // identical to 1 (same split) but across from 2
      placed(4, 'validation', { phash: flipBits(h, 3) }), // 3 bits from 1, 2, 3
      placed(5, 'train', { phash: hashFrom(88) }),
      placed(6, 'train', { phash: flipBits(hashFrom(88), 1) }), // same split: no leak
    ];
    const r = checkLeakage(images, { threshold: 4, sources: [] });
    // Pairs across splits: (1,2), (2,3) at 0; (1,4), (2,4), (3,4) at 3.
    expect(r.nearDuplicatePairs).toBe(5);
    expect(r.pairs.map((p) => [p.a.id, p.b.id, p.distance])).toEqual([
      [1, 2, 0],
      [2, 3, 0],
      [1, 4, 3],
      [2, 4, 3],
      [3, 4, 3],
    ]);
    expect(checkLeakage(images, { threshold: 2, sources: [] }).nearDuplicatePairs).toBe(2);
  });

  it('counts every pair of a large cluster but lists only up to the limit', () => {
    const h = hashFrom(5);
    const images = Array.from({ length: 30 }, (_, i) => placed(i + 1, i % 2 === 0 ? 'train' : 'test', { phash: h }));
    const r = checkLeakage(images, { threshold: 0, sources: [], limit: 10 });
    expect(r.nearDuplicatePairs).toBe(15 * 15);
    expect(r.pairs).toHaveLength(10);
  });

  it('lists groups whose images sit in more than one split, largest first', () => {
    const images = [
      placed(1, 'train', { group: 'a' }),
      placed(2, 'test', { group: 'a' }),
      placed(3, 'train', { group: 'b' }),
      placed(4, 'train', { group: 'b' }),
      placed(5, 'train', { group: 'c', relPath: 'x/vid1_f1.jpg' }),
      placed(6, 'validation', { group: 'c', relPath: 'x/vid1_f2.jpg' }),
      placed(7, 'test', { group: 'c', relPath: 'x/vid2_f1.jpg' }),
    ];
    const r = checkLeakage(images, { threshold: 0, sources: [{ kind: 'folder' }, { kind: 'csv' }, { kind: 'regex', pattern: '^(vid\\d+)' }] });
    expect(r.groupsCrossing).toBe(3);
    expect(r.groups).toEqual([
      { source: 'folder', name: 'group "c"', counts: { train: 1, validation: 1, test: 1 } },
      { source: 'folder', name: 'group "a"', counts: { train: 1, validation: 0, test: 1 } },
      { source: 'regex:^(vid\\d+)', name: 'name part "vid1"', counts: { train: 1, validation: 1, test: 0 } },
    ]);
  });
});

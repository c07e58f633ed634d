// The warnings are plain sentences about the user's own classes and groups.
import { describe, expect, it } from 'vitest';
import { checkLeakage } from '../../../electron/engine/splits/leakage.js';
import { planSplit } from '../../../electron/engine/splits/split-plan.js';
import { SPLITS } from '../../../electron/engine/splits/types.js';
import { splitWarnings } from '../../../electron/engine/splits/warnings.js';
import { hashFrom, image } from './make-images.js';

const classes = [
  { id: 1, name: 'moth' },
  { id: 2, name: 'beetle' },
  { id: 3, name: 'wasp' },
];

describe('splitWarnings', () => {
  it('warns about few and missing images per class, large groups, near duplicates and empty sources', () => {
    const images = [
      ...Array.from({ length: 200 }, (_, i) => image(i + 1, 1, { group: i < 60 ? 'big session' : null })),
      ...Array.from({ length: 20 }, (_, i) => image(300 + i, 2)), // 3 validation, 3 test: few
      image(400, 3), // one wasp: missing from validation and test
      image(401, 1, { phash: hashFrom(402) }),
      image(402, 1), // same picture as 401, maybe across splits
    ];
    const ratios = { train: 70, validation: 15, test: 15 };
    const grouping = [{ kind: 'folder' as const }, { kind: 'time' as const, seconds: 2 }];
    const plan = planSplit(images, { ratios, seed: 10, grouping, classes });
    const leakage = checkLeakage(
      images.map((img, i) => ({ ...img, split: SPLITS[plan.splitOf[i]!]! })),
      { threshold: 6, sources: grouping },
    );
    const warnings = splitWarnings({ ...plan, ratios, leakage }, new Map(classes.map((c) => [c.id, c.name])));
    const text = warnings.map((w) => `${w.kind}: ${w.message}`).join('\n');
    expect(text).toMatch(/few_images: Class "beetle" has only 3 validation images/);
    expect(text).toMatch(/few_images: Class "beetle" has only 3 test images/);
    expect(text).toMatch(/missing_class: Class "wasp" has no validation images/);
    expect(text).toMatch(/missing_class: Class "wasp" has no test images/);
    expect(text).toMatch(/large_group: The group "big session" holds 60 "moth" images, more than the 30 the validation split should get/);
    expect(text).toMatch(/no_groups: Grouping by time:2 found no two images that belong together/);
    // 401 and 402 look the same (one perceptual hash) but differ in bytes: nothing groups
    // them, and with this seed they land in different splits.
    expect(plan.splitOf[images.length - 2]).not.toBe(plan.splitOf[images.length - 1]);
    expect(text).toMatch(/near_duplicates: 1 pair of near-duplicate images sit in different splits.*Group by near duplicates/);
  });

  it('says nothing when the split is healthy', () => {
    const images = Array.from({ length: 300 }, (_, i) => image(i + 1, 1 + (i % 2)));
    const ratios = { train: 70, validation: 15, test: 15 };
    const plan = planSplit(images, { ratios, seed: 1, grouping: [], classes });
    const leakage = checkLeakage(images.map((img, i) => ({ ...img, split: SPLITS[plan.splitOf[i]!]! })), { threshold: 6, sources: [] });
    expect(splitWarnings({ ...plan, ratios, leakage }, new Map())).toEqual([]);
  });
});

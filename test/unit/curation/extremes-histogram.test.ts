// Extremes (bytes, pixels, aspect ratio, both ends) and the class histogram (order,
// shares, the "rare" rule, the imbalance ratio and its warning).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extremes } from '../../../electron/engine/curation/extremes.js';
import { classHistogram, RARE_MIN_IMAGES } from '../../../electron/engine/curation/histogram.js';
import { excludeImages } from '../../../electron/engine/labeling/label-images.js';
import type { Project } from '../../../electron/engine/project/project.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { addImage, addImages, newProject } from './project-fixture.js';

const tempDir = tempDirFactory('holdout-extremes-');

describe('extremes', () => {
  let p: Project;
  const ids: Record<string, number> = {};
  beforeAll(() => {
    p = newProject(tempDir);
    ids.tiny = addImage(p, { bytes: 50, width: 16, height: 16 });
    ids.huge = addImage(p, { bytes: 9_000_000, width: 4000, height: 3000 });
    ids.panorama = addImage(p, { bytes: 5000, width: 3000, height: 300 });
    ids.tall = addImage(p, { bytes: 6000, width: 200, height: 1800 });
    ids.tie1 = addImage(p, { bytes: 50, width: 20, height: 20 });
    addImages(p, 20, { bytes: 2000, width: 640, height: 480 });
  });
  afterAll(() => p.close());

  it('orders by file size at both ends, ties by age', () => {
    const small = extremes(p.db, 'bytes', 'smallest', 3);
    expect(small.map((t) => t.id)).toEqual([ids.tiny, ids.tie1, expect.any(Number)]);
    expect(small[0]!.value).toBe(50);
    expect(extremes(p.db, 'bytes', 'largest', 1)[0]).toMatchObject({ id: ids.huge, value: 9_000_000 });
  });

  it('orders by resolution (width × height)', () => {
    expect(extremes(p.db, 'pixels', 'smallest', 1)[0]).toMatchObject({ id: ids.tiny, value: 256 });
    expect(extremes(p.db, 'pixels', 'largest', 1)[0]).toMatchObject({ id: ids.huge, value: 12_000_000 });
  });

  it('finds the widest and the tallest images by aspect ratio', () => {
    expect(extremes(p.db, 'aspect', 'largest', 1)[0]).toMatchObject({ id: ids.panorama, value: 10 });
    const tallest = extremes(p.db, 'aspect', 'smallest', 1)[0]!;
    expect(tallest.id).toBe(ids.tall);
    expect(tallest.value).toBeCloseTo(200 / 1800);
  });

  it('respects the filter', () => {
    excludeImages(p.db, [ids.tiny!], 'a thumbnail');
    expect(extremes(p.db, 'bytes', 'smallest', 1, { status: 'ok' })[0]!.id).toBe(ids.tie1);
    expect(extremes(p.db, 'bytes', 'smallest', 5, { status: 'excluded' }).map((t) => t.id)).toEqual([ids.tiny]);
  });
});

describe('class histogram', () => {
  it('sorts classes, computes shares, flags rare classes and warns about imbalance', () => {
    const p = newProject(tempDir);
    const big = p.classes.ensure('big');
    const mid = p.classes.ensure('mid');
    const small = p.classes.ensure('small');
    p.classes.ensure('empty');
    addImages(p, 100, { classId: big });
    addImages(p, 60, { classId: mid });
    const smallIds = addImages(p, 12, { classId: small });
    addImages(p, 7); // unlabeled
    excludeImages(p.db, smallIds.slice(0, 2), 'blurred');
    const h = classHistogram(p.db);
    expect(h.classes.map((c) => c.name)).toEqual(['big', 'mid', 'small', 'empty']);
    expect(h.classes.map((c) => c.count)).toEqual([100, 60, 10, 0]);
    expect(h.classes[2]!.excluded).toBe(2);
    expect(h.classes[0]!.share).toBeCloseTo(100 / 170);
    expect(h.unlabeled).toBe(7);
    expect(h.excluded).toBe(2);
    expect(h.total).toBe(179);
    // The median of 100, 60, 10, 0 is 35, so rare = fewer than 10 or fewer than 0.2 × 35 = 7: only "empty".
    expect(h.classes.map((c) => c.rare)).toEqual([false, false, false, true]);
    expect(h.imbalanceRatio).toBe(10);
    expect(h.largestClassId).toBe(big);
    expect(h.smallestClassId).toBe(small);
    expect(h.warning).toMatch(/"big" has 10\.0 times as many images as "small"/);
    expect(h.warning).toMatch(/"empty" has no images/);
    expect(h.rareRule).toContain(String(RARE_MIN_IMAGES));
    p.close();
  });

  it('flags a class below a fifth of the median even when it has many images', () => {
    const p = newProject(tempDir);
    const a = p.classes.ensure('a');
    const b = p.classes.ensure('b');
    const c = p.classes.ensure('c');
    addImages(p, 200, { classId: a });
    addImages(p, 200, { classId: b });
    addImages(p, 30, { classId: c });
    const h = classHistogram(p.db);
    expect(h.classes.find((x) => x.name === 'c')).toMatchObject({ count: 30, rare: true });
    expect(h.imbalanceRatio).toBeCloseTo(200 / 30);
    expect(h.warning).toMatch(/"c" is rare/);
    p.close();
  });

  it('is quiet when classes are balanced, and has no ratio with fewer than two classes', () => {
    const p = newProject(tempDir);
    const a = p.classes.ensure('a');
    addImages(p, 40, { classId: a });
    expect(classHistogram(p.db)).toMatchObject({ imbalanceRatio: null, warning: null, largestClassId: null });
    const b = p.classes.ensure('b');
    addImages(p, 30, { classId: b });
    expect(classHistogram(p.db)).toMatchObject({ warning: null });
    expect(classHistogram(p.db).imbalanceRatio).toBeCloseTo(40 / 30);
    p.close();
  });
});

// The random sample: the same seed draws the same images, a sample never repeats an
// image, pages of one seed never overlap, and a new seed draws a different sample.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32, newSeed, shuffledPrefix } from '../../../electron/engine/curation/prng.js';
import { randomSample } from '../../../electron/engine/curation/sample.js';
import type { Project } from '../../../electron/engine/project/project.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { addImages, newProject } from './project-fixture.js';

const tempDir = tempDirFactory('holdout-sample-');

describe('seeded PRNG and shuffle', () => {
  it('mulberry32 is reproducible and spreads over [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 10_000 }, () => a());
    expect(Array.from({ length: 10_000 }, () => b())).toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    // Ten equal bins each get roughly a tenth.
    const bins = new Array(10).fill(0);
    for (const x of xs) bins[Math.floor(x * 10)]++;
    for (const n of bins) expect(n).toBeGreaterThan(850);
  });

  it('shuffledPrefix draws without replacement and extends the same order', () => {
    const items = Array.from({ length: 500 }, (_, i) => i);
    const short = shuffledPrefix(items, 40, 7);
    const long = shuffledPrefix(items, 200, 7);
    expect(new Set(long).size).toBe(200);
    expect(long.slice(0, 40)).toEqual(short);
    expect(shuffledPrefix(items, 600, 7).sort((x, y) => x - y)).toEqual(items);
    expect(items[0]).toBe(0); // the input is not shuffled in place
  });

  it('new seeds are 32-bit and vary', () => {
    const seeds = new Set(Array.from({ length: 20 }, newSeed));
    expect(seeds.size).toBeGreaterThan(15);
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
  });
});

describe('randomSample', () => {
  let p: Project;
  let catIds: number[];
  beforeAll(() => {
    p = newProject(tempDir);
    const cat = p.classes.ensure('cat');
    catIds = addImages(p, 120, { classId: cat });
    addImages(p, 80);
  });
  afterAll(() => p.close());

  it('gives the same sample for the same seed, and shows the seed', () => {
    const a = randomSample(p.db, { seed: 1234, limit: 30 });
    const b = randomSample(p.db, { seed: 1234, limit: 30 });
    expect(a.seed).toBe(1234);
    expect(a.total).toBe(200);
    expect(b.items.map((t) => t.id)).toEqual(a.items.map((t) => t.id));
    expect(new Set(a.items.map((t) => t.id)).size).toBe(30);
  });

  it('"shuffle again" draws a new seed and a different sample', () => {
    const a = randomSample(p.db, { limit: 30 });
    const b = randomSample(p.db, { limit: 30 });
    expect(a.seed).not.toBe(b.seed);
    expect(a.items.map((t) => t.id)).not.toEqual(b.items.map((t) => t.id));
  });

  it('pages of one seed never repeat an image and together cover everything', () => {
    const seen: number[] = [];
    for (let offset = 0; offset < 200; offset += 60) {
      seen.push(...randomSample(p.db, { seed: 99, offset, limit: 60 }).items.map((t) => t.id));
    }
    expect(seen).toHaveLength(200);
    expect(new Set(seen).size).toBe(200);
  });

  it('respects the filter and never returns more than the filter lets through', () => {
    const cat = p.classes.byName('cat')!.id;
    const s = randomSample(p.db, { seed: 5, limit: 500, filter: { classId: cat } });
    expect(s.total).toBe(120);
    expect(s.items).toHaveLength(120);
    expect(s.items.every((t) => t.classId === cat)).toBe(true);
    expect(new Set(s.items.map((t) => t.id))).toEqual(new Set(catIds));
    const none = randomSample(p.db, { seed: 5, limit: 10, filter: { status: 'excluded' } });
    expect(none).toMatchObject({ total: 0, items: [] });
  });
});

// Duplicate views on real pictures: near-duplicate copies made with sharp (resized,
// enlarged, re-encoded as JPEG, brightened, all at once) must cluster with their
// original and nothing else; exact copies and conflicting labels are found by content
// hash; "keep one" excludes the others, and undo brings them back.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conflictingLabels, exactDuplicates } from '../../../electron/engine/curation/exact-duplicates.js';
import { nearDuplicates } from '../../../electron/engine/curation/near-duplicates.js';
import { keepOne } from '../../../electron/engine/labeling/label-images.js';
import { undo } from '../../../electron/engine/labeling/undo-redo.js';
import type { Project } from '../../../electron/engine/project/project.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { addImage, newProject, statusOf } from './project-fixture.js';
import { phashOfFile, scene, variants } from './synthetic-images.js';

const tempDir = tempDirFactory('holdout-dups-');

async function addPicture(p: Project, bytes: Buffer, name: string, classId: number | null = null): Promise<number> {
  const { phash, width, height } = await phashOfFile(bytes);
  return addImage(p, {
    name,
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    phash,
    width,
    height,
    bytes: bytes.length,
    classId,
  });
}

describe('duplicates on real pictures', () => {
  let p: Project;
  /** Scene number → the ids of the original and its near copies. */
  const families = new Map<number, number[]>();
  const loners: number[] = [];
  let copyA = 0;
  let copyB = 0;
  let cat = 0;
  let dog = 0;

  beforeAll(async () => {
    p = newProject(tempDir);
    cat = p.classes.ensure('cat');
    dog = p.classes.ensure('dog');
    for (const s of [1, 2, 3]) {
      const original = await scene(s);
      const ids = [await addPicture(p, original, `scene${s}.png`, cat)];
      for (const [kind, make] of Object.entries(variants)) ids.push(await addPicture(p, await make(original), `scene${s}-${kind}`, cat));
      families.set(s, ids);
    }
    for (const s of [4, 5, 6, 7]) loners.push(await addPicture(p, await scene(s), `scene${s}.png`, dog));
    // The same bytes twice, under two names and two labels.
    const twin = await scene(8);
    copyA = await addPicture(p, twin, 'twin-a.png', cat);
    copyB = await addPicture(p, twin, 'copies/twin-b.png', dog);
  }, 120_000);
  afterAll(() => p.close());

  const clusterIds = async (threshold: number, filter = {}) =>
    (await nearDuplicates(p.db, threshold, filter, 0, 100)).clusters.map((c) => c.images.map((t) => t.id).sort((a, b) => a - b));

  it('clusters every near copy with its original, and nothing else', async () => {
    const clusters = await clusterIds(6);
    for (const ids of families.values()) expect(clusters).toContainEqual([...ids].sort((a, b) => a - b));
    expect(clusters).toContainEqual([copyA, copyB]);
    expect(clusters).toHaveLength(4);
    for (const id of loners) expect(clusters.flat()).not.toContain(id);
  });

  it('reports distances to the suggested keeper, the copy with the most pixels', async () => {
    const page = await nearDuplicates(p.db, 6, {}, 0, 100);
    const family1 = page.clusters.find((c) => c.images.some((t) => t.id === families.get(1)![0]))!;
    const enlarged = families.get(1)![1 + Object.keys(variants).indexOf('enlarged')]!;
    expect(family1.suggestedKeepId).toBe(enlarged);
    expect(family1.images[0]).toMatchObject({ id: enlarged, distance: 0 });
    for (const t of family1.images) expect(t.distance).toBeLessThanOrEqual(6);
    expect(page.totalImages).toBe(3 * (1 + Object.keys(variants).length) + 2);
  });

  it('different pictures are far apart: even at the largest threshold they do not join', async () => {
    const clusters = await clusterIds(16);
    for (const id of loners) expect(clusters.flat()).not.toContain(id);
    const firsts = [...families.values()].map((ids) => ids[0]!);
    for (const c of clusters) expect(c.filter((id) => firsts.includes(id)).length).toBeLessThanOrEqual(1);
  });

  it('threshold 0 keeps only identical hashes together', async () => {
    for (const c of (await nearDuplicates(p.db, 0, {}, 0, 100)).clusters) {
      expect(new Set(c.images.map((t) => t.distance))).toEqual(new Set([0]));
    }
  });

  it('filters members first: by class, the twin pair is no cluster any more', async () => {
    expect(await clusterIds(6, { classId: cat })).not.toContainEqual([copyA, copyB]);
    expect(await clusterIds(6, { classId: cat })).toHaveLength(3);
    expect(await clusterIds(6, { classId: dog })).toEqual([]);
  });

  it('finds exact copies and the conflicting labels they carry', async () => {
    const exact = exactDuplicates(p.db, {}, 0, 50);
    expect(exact.totalClusters).toBe(1);
    expect(exact.clusters[0]!.images.map((t) => t.id)).toEqual([copyA, copyB]);
    const conflicts = conflictingLabels(p.db, 0, 50);
    expect(conflicts.clusters.map((c) => c.images.map((t) => t.classId))).toEqual([[cat, dog]]);
  });

  it('keep one excludes the others with a reason, resolves the views, and undo restores them', async () => {
    const [keep, ...others] = families.get(2)!;
    keepOne(p.db, keep!, others, 'near');
    for (const id of others) expect(statusOf(p, id)).toEqual({ status: 'excluded', reason: `near duplicate of #${keep}` });
    expect(await clusterIds(6, { status: 'ok' })).toHaveLength(3);
    expect(await clusterIds(6)).toHaveLength(4); // unfiltered, the excluded copies still show, marked

    keepOne(p.db, copyA, [copyB], 'exact');
    expect(statusOf(p, copyB)).toEqual({ status: 'excluded', reason: `exact duplicate of #${copyA}` });
    expect(conflictingLabels(p.db, 0, 50).totalClusters).toBe(0);
    expect(exactDuplicates(p.db, { status: 'ok' }, 0, 50).totalClusters).toBe(0);

    undo(p.db);
    expect(conflictingLabels(p.db, 0, 50).totalClusters).toBe(1);
    undo(p.db);
    for (const id of others) expect(statusOf(p, id)).toEqual({ status: 'ok', reason: null });
  });

  it('refuses "keep one" of exact duplicates that are not the same bytes', async () => {
    expect(() => keepOne(p.db, loners[0]!, [loners[1]!], 'exact')).toThrow(/not all exact copies/);
  });

  it('sees images imported after the index was built', async () => {
    const before = (await clusterIds(6)).length;
    await addPicture(p, await variants.jpeg(await scene(5)), 'scene5-late.jpg', dog);
    expect(await clusterIds(6)).toHaveLength(before + 1);
  });
});

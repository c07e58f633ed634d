// The background build of the near-duplicate index: a worker thread reads the project
// through its own connection and finds the same pairs as the in-process search; the
// first view after it pays nothing for the index; a view asked for during the build
// waits for it instead of building twice; a build from hashes that changed meanwhile
// is not adopted.
import { MAX_HASH_DISTANCE } from '../../../electron/api/limits.js';
import { describe, expect, it } from 'vitest';
import { allPairs, type Pairs } from '../../../electron/engine/curation/multi-index.js';
import { nearDuplicates } from '../../../electron/engine/curation/near-duplicates.js';
import { adoptNearIndex, dropNearIndex, isWarming, loadHashGroups, nearIndex, phashVersion } from '../../../electron/engine/curation/near-index.js';
import { nearPairs } from '../../../electron/engine/curation/multi-index.js';
import { mulberry32 } from '../../../electron/engine/curation/prng.js';
import { warmNearIndex } from '../../../electron/engine/curation/warm-near-index.js';
import type { Project } from '../../../electron/engine/project/project.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { addImage, newProject } from './project-fixture.js';

const pairSet = (p: Pairs) => new Set(Array.from(p.a, (a, k) => `${a}-${p.b[k]}-${p.distance[k]}`));

const tempDir = tempDirFactory('holdout-warm-near-');

function hexHash(rand: () => number): string {
  return Array.from({ length: 2 }, () => Math.floor(rand() * 2 ** 32).toString(16).padStart(8, '0')).join('');
}

/** 400 random hashes and a family of 16 near copies of one of them (plus an identical copy). */
function seeded(): Project {
  const p = newProject(tempDir);
  const rand = mulberry32(9);
  const base = hexHash(rand);
  p.db.transaction(() => {
    for (let i = 0; i < 400; i++) addImage(p, { phash: hexHash(rand) });
    for (const d of '0123456789abcdef') addImage(p, { phash: base.slice(0, 15) + d });
    addImage(p, { phash: base });
  })();
  return p;
}

describe('warming the near-duplicate index in the background', () => {
  it('builds in a worker the pairs the in-process search finds, and the first view then finds it ready', async () => {
    const p = seeded();
    const groups = loadHashGroups(p.db, phashVersion(p.db));
    const expected = allPairs(groups.hi, groups.lo, 6);
    expect(expected.a.length).toBeGreaterThan(100);

    expect(await warmNearIndex(p.db, 6)).toBe('built');
    const index = await nearIndex(p.db, 6);
    expect(index.buildMs).toBe(0); // adopted, not built by the view
    // The same pairs and distances (in the same order of distance; within one, any order).
    expect(pairSet(index.pairs)).toEqual(pairSet(expected));
    expect(Array.from(index.pairs.distance)).toEqual(Array.from(expected.distance));
    expect(Array.from(index.groups.images).sort((x, y) => x - y)).toEqual(Array.from(groups.images).sort((x, y) => x - y));
    const page = await nearDuplicates(p.db, 6, { includeTest: true }, 0, 10);
    expect(page.totalClusters).toBe(1);
    expect(page.clusters[0]!.images).toHaveLength(17);
    p.close();
  });

  it('answers every threshold of the slider (0 to its maximum) from one background build, with the clusters a direct search gives', async () => {
    // Planted families at growing distances from their roots, so each threshold links more.
    const p = newProject(tempDir);
    const rand = mulberry32(21);
    p.db.transaction(() => {
      for (let i = 0; i < 300; i++) addImage(p, { phash: hexHash(rand) });
      for (let f = 0; f < 12; f++) {
        const root = hexHash(rand);
        addImage(p, { phash: root });
        for (let c = 1; c <= 3; c++) {
          let [hi, lo] = [parseInt(root.slice(0, 8), 16), parseInt(root.slice(8), 16)];
          // f + c bits flipped at distinct places: distances 2…14 from the root.
          for (let bit = 0; bit < f + c; bit++) {
            const at = (bit * 5 + c) % 64;
            if (at < 32) hi = (hi ^ (1 << at)) >>> 0;
            else lo = (lo ^ (1 << (at - 32))) >>> 0;
          }
          addImage(p, { phash: hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0') });
        }
      }
    })();
    const clustersAt = async (t: number) =>
      (await nearDuplicates(p.db, t, { includeTest: true }, 0, 1000)).clusters.map((c) => c.images.map((i) => i.id).sort((x, y) => x - y)).sort((x, y) => x[0]! - y[0]!);
    const direct: number[][][] = [];
    for (let t = 0; t <= MAX_HASH_DISTANCE; t++) {
      dropNearIndex(p.db);
      direct.push(await clustersAt(t));
    }
    expect(direct[2]!.length).toBeLessThan(direct[MAX_HASH_DISTANCE]!.length); // the thresholds differ
    dropNearIndex(p.db);
    expect(await warmNearIndex(p.db)).toBe('built');
    for (let t = MAX_HASH_DISTANCE; t >= 0; t--) {
      expect((await nearIndex(p.db, t)).buildMs, `t=${t}`).toBe(0); // no search when the slider moves
      expect(await clustersAt(t), `t=${t}`).toEqual(direct[t]);
    }
    p.close();
  });

  it('makes a view asked for during the build wait for it rather than build again', async () => {
    const p = seeded();
    const warming = warmNearIndex(p.db, 6);
    expect(isWarming(p.db)).toBe(true);
    // A second warm-up while one runs does nothing.
    expect(await warmNearIndex(p.db, 6)).toBe('skipped');
    const viewed = await nearIndex(p.db, 6);
    expect(await warming).toBe('built');
    expect(viewed.buildMs).toBe(0);
    expect(isWarming(p.db)).toBe(false);
    p.close();
  });

  it('does not adopt an index built from hashes that changed since, nor for a closed project', async () => {
    const p = seeded();
    const stale = loadHashGroups(p.db, phashVersion(p.db));
    const pairs = nearPairs(stale.hi, stale.lo, 6);
    addImage(p, { phash: '0123456789abcdef' }); // an import: a new hash
    expect(adoptNearIndex(p.db, stale, pairs, 1)).toBe(false);
    const fresh = await nearIndex(p.db, 6);
    expect(fresh.groups).not.toBe(stale);
    expect(fresh.buildMs).toBeGreaterThan(0);

    dropNearIndex(p.db);
    const current = loadHashGroups(p.db, phashVersion(p.db));
    expect(adoptNearIndex(p.db, current, nearPairs(current.hi, current.lo, 6), 1)).toBe(true);
    expect((await nearIndex(p.db, 6)).groups).toBe(current);
    p.close();
    expect(adoptNearIndex(p.db, current, pairs, 1)).toBe(false);
    expect(await warmNearIndex(p.db, 6)).toBe('skipped');
  });
});

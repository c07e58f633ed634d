// The in-memory near-duplicate index: large searches run in a worker thread with the
// same answer, concurrent requests share one search, and an import (a new hash)
// makes the index rebuild while labeling does not.
import { describe, expect, it } from 'vitest';
import { allPairs, type Pairs } from '../../../electron/engine/curation/multi-index.js';
import { dropNearIndex, loadHashGroups, nearIndex, phashVersion } from '../../../electron/engine/curation/near-index.js';
import { mulberry32 } from '../../../electron/engine/curation/prng.js';
import { assignClass } from '../../../electron/engine/labeling/label-images.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { addImage, newProject } from './project-fixture.js';

const pairSet = (p: Pairs) => new Set(Array.from(p.a, (a, k) => `${a}-${p.b[k]}-${p.distance[k]}`));

const tempDir = tempDirFactory('holdout-near-index-');

function hexHash(rand: () => number): string {
  return Array.from({ length: 2 }, () => Math.floor(rand() * 2 ** 32).toString(16).padStart(8, '0')).join('');
}

describe('near-duplicate index', () => {
  it('finds the same pairs in a worker thread as inline, and shares concurrent searches', async () => {
    const p = newProject(tempDir);
    const rand = mulberry32(5);
    const base = hexHash(rand);
    p.db.transaction(() => {
      for (let i = 0; i < 300; i++) addImage(p, { phash: hexHash(rand) });
      // A family: the base hash with its last hex digit changed (1–4 bits).
      for (const d of '0123456789abcdef') addImage(p, { phash: base.slice(0, 15) + d });
      addImage(p, { phash: base }); // the same hash twice
    })();
    const groups = loadHashGroups(p.db, phashVersion(p.db));
    expect(groups.hi.length).toBe(316);
    const expected = allPairs(groups.hi, groups.lo, 10);

    const [viaWorker, shared] = await Promise.all([nearIndex(p.db, 10, 0), nearIndex(p.db, 10, 0)]);
    expect(shared.pairs).toBe(viaWorker.pairs);
    // The same pairs and distances (in the same order of distance; within one, any order).
    expect(pairSet(viaWorker.pairs)).toEqual(pairSet(expected));
    expect(Array.from(viaWorker.pairs.distance)).toEqual(Array.from(expected.distance));
    expect((await nearIndex(p.db, 10)).buildMs).toBe(0); // cached

    dropNearIndex(p.db);
    const inline = await nearIndex(p.db, 10, Infinity);
    expect(pairSet(inline.pairs)).toEqual(pairSet(expected));
    p.close();
  });

  it('rebuilds after an import adds a hash, not after labeling', async () => {
    const p = newProject(tempDir);
    const cat = p.classes.ensure('cat');
    const a = addImage(p, { phash: '0000000000000000' });
    addImage(p, { phash: 'ffffffffffffffff' });
    const first = await nearIndex(p.db, 6);
    expect(first.pairs.a.length).toBe(0);
    assignClass(p.db, [a], cat);
    const again = await nearIndex(p.db, 6);
    expect(again.groups).toBe(first.groups);
    addImage(p, { phash: '0000000000000003' });
    const rebuilt = await nearIndex(p.db, 6);
    expect(rebuilt.groups).not.toBe(first.groups);
    expect(rebuilt.pairs.a.length).toBe(1);
    p.close();
  });
});

// Saved splits on a real database: versions are immutable, a new save is a new version,
// new images make a new version that keeps the test set, and views can hide test images.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assignNewImages, previewSplit, saveSplit, splitImageIds, versionLeakage } from '../../../electron/engine/service/split-actions.js';
import { notInTestSql, SplitsRepo, testIdsToHide } from '../../../electron/engine/store/splits-repo.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { flipBits, hashFrom } from '../../unit/splits/make-images.js';
import { addImages, labeled, seededProject } from './seed-project.js';

const tempDir = tempDirFactory('holdout-splits-');
const ratios = { train: 70, validation: 15, test: 15 };

describe('saved splits', () => {
  it('skips unlabeled and excluded images and saves an immutable version', () => {
    const p = seededProject(path.join(tempDir(), 'p'), [
      ...labeled(100, ['moth', 'beetle']),
      { className: null },
      { className: null },
      { className: 'moth', excluded: true },
    ]);
    try {
      const preview = previewSplit(p.db, { ratios, seed: 42, grouping: [] });
      expect(preview.version).toBeNull();
      expect(preview).toMatchObject({ total: 100, unlabeledSkipped: 2, excludedSkipped: 1, counts: { train: 70, validation: 15, test: 15 } });
      expect(new SplitsRepo(p.db).current()).toBeUndefined();

      const saved = saveSplit(p.db, { ratios, seed: 42, grouping: [] });
      expect(saved.version).toMatchObject({ id: 1, parentId: null, seed: 42, imageCount: 100, counts: { train: 70, validation: 15, test: 15 }, testUses: 0 });
      // The preview showed exactly what was saved.
      expect({ ...saved, version: null }).toEqual(preview);

      expect(() => p.db.prepare(`UPDATE split_assignments SET split = 'train'`).run()).toThrow(/cannot be changed/);
      expect(() => p.db.prepare('DELETE FROM split_assignments').run()).toThrow(/cannot be changed/);
      expect(() => p.db.prepare('UPDATE split_versions SET seed = 1').run()).toThrow(/cannot be changed/);
      expect(() => p.db.prepare('DELETE FROM split_versions').run()).toThrow(/cannot be deleted/);

      const again = saveSplit(p.db, { ratios: { train: 80, validation: 10, test: 10 }, seed: 1, grouping: [{ kind: 'folder' }] });
      expect(again.version?.id).toBe(2);
      expect(new SplitsRepo(p.db).list().map((v) => v.id)).toEqual([2, 1]);
      expect(() => p.db.prepare(`INSERT INTO split_assignments (version_id, image_id, split) VALUES (1, 999, 'train')`).run()).toThrow(/being saved/);
      expect(new SplitsRepo(p.db).get(1)!.report).toMatchObject({ seed: 42, counts: { train: 70, validation: 15, test: 15 } });
    } finally {
      p.close();
    }
  });

  it('draws and reports a seed when none is given', () => {
    const p = seededProject(path.join(tempDir(), 'p'), labeled(20, ['a']));
    try {
      const r = saveSplit(p.db, { ratios, grouping: [] });
      expect(Number.isInteger(r.seed)).toBe(true);
      expect(r.version?.seed).toBe(r.seed);
    } finally {
      p.close();
    }
  });

  it('places new images in train and validation, in a new version with the same test set', () => {
    const p = seededProject(path.join(tempDir(), 'p'), labeled(100, ['moth', 'beetle']));
    try {
      const first = saveSplit(p.db, { ratios, seed: 9, grouping: [] });
      const repo = new SplitsRepo(p.db);
      const testBefore = repo.imageIds(1, 'test');
      const nothing = assignNewImages(p.db, { allowTest: false });
      expect(nothing).toMatchObject({ created: false, version: { id: 1 } });

      addImages(p, labeled(30, ['moth', 'beetle']));
      const r = assignNewImages(p.db, { allowTest: false });
      expect(r.created).toBe(true);
      expect(r.version).toMatchObject({ id: 2, parentId: 1, seed: 9, imageCount: 130 });
      expect(r.added.test).toBe(0);
      expect(r.added.train + r.added.validation).toBe(30);
      expect(repo.imageIds(2, 'test')).toEqual(testBefore);
      expect(repo.get(2)!.testFingerprint).toBe(repo.get(1)!.testFingerprint);
      for (const [id, split] of repo.assignments(1)) expect(repo.assignments(2).get(id)).toBe(split);
      expect(first.version?.id).toBe(1);

      addImages(p, labeled(30, ['moth']));
      const withTest = assignNewImages(p.db, { allowTest: true });
      expect(withTest.added.test).toBeGreaterThan(0);
      expect(repo.get(3)!.testFingerprint).not.toBe(repo.get(2)!.testFingerprint);
    } finally {
      p.close();
    }
  });

  it('hides the current test images from views and releases only train and validation ids', () => {
    const p = seededProject(path.join(tempDir(), 'p'), labeled(60, ['a', 'b']));
    try {
      const visible = () => p.db.prepare(`SELECT count(*) AS n FROM images WHERE ${notInTestSql('images')}`).get() as { n: number };
      expect(visible().n).toBe(60);
      expect(testIdsToHide(p.db).size).toBe(0);
      saveSplit(p.db, { ratios, seed: 2, grouping: [] });
      const test = new SplitsRepo(p.db).imageIds(1, 'test');
      expect(visible().n).toBe(60 - test.length);
      const aliased = p.db.prepare(`SELECT i.id FROM images i WHERE ${notInTestSql('i')}`).pluck().all() as number[];
      expect(aliased.some((id) => test.includes(id))).toBe(false);
      expect([...testIdsToHide(p.db)].sort((a, b) => a - b)).toEqual(test);
      expect(splitImageIds(p.db, 'train').length + splitImageIds(p.db, 'validation').length).toBe(60 - test.length);
      expect(() => splitImageIds(p.db, 'test' as 'train')).toThrow(/lockbox/);
    } finally {
      p.close();
    }
  });

  it('finds the planted near duplicates that cross splits, and none once they are grouped', () => {
    const rows = labeled(80, ['moth', 'beetle']);
    // 20 pairs of near copies (2 bits apart).
    for (let k = 0; k < 20; k++) {
      const h = hashFrom(7000 + k);
      rows.push({ className: 'moth', phash: h }, { className: 'moth', phash: flipBits(h, 2) });
    }
    const p = seededProject(path.join(tempDir(), 'p'), rows);
    try {
      const loose = saveSplit(p.db, { ratios, seed: 4, grouping: [] });
      expect(loose.leakage.nearDuplicatePairs).toBeGreaterThan(0);
      expect(loose.warnings.some((w) => w.kind === 'near_duplicates')).toBe(true);
      expect(versionLeakage(p.db).nearDuplicatePairs).toBe(loose.leakage.nearDuplicatePairs);
      const grouped = saveSplit(p.db, { ratios, seed: 4, grouping: [{ kind: 'near-duplicates', threshold: 4 }] });
      expect(grouped.leakage).toMatchObject({ threshold: 4, nearDuplicatePairs: 0, pairs: [] });
      expect(versionLeakage(p.db, 1).versionId).toBe(1);
      expect(versionLeakage(p.db).nearDuplicatePairs).toBe(0);
    } finally {
      p.close();
    }
  });
});

// `holdout inspect` and `holdout label` as a user runs them: one JSON line each, the
// documented fields, and bad CSVs (unknown class, BOM, quoted commas, CRLF, paths
// that do not exist) reported by row with nothing applied.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { excludeImages } from '../../../electron/engine/labeling/label-images.js';
import { openProject, type Project } from '../../../electron/engine/project/project.js';
import { runCli } from '../../helpers/run-cli.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { addImage, addImages, newProject } from '../../unit/curation/project-fixture.js';

const tempDir = tempDirFactory('holdout-cli-curation-');

function labelsOf(dir: string): Record<string, string | null> {
  const p = openProject(dir);
  try {
    const rows = p.db
      .prepare('SELECT i.rel_path AS rel, c.name FROM images i LEFT JOIN classes c ON c.id = i.class_id ORDER BY i.id')
      .all() as { rel: string; name: string | null }[];
    return Object.fromEntries(rows.map((r) => [r.rel, r.name]));
  } finally {
    p.close();
  }
}

describe('holdout inspect', () => {
  it('prints class balance, extremes and duplicate clusters as one JSON line', async () => {
    const p: Project = newProject(tempDir);
    const cat = p.classes.ensure('cat');
    const dog = p.classes.ensure('dog');
    addImages(p, 60, { classId: cat, bytes: 5000 });
    addImages(p, 6, { classId: dog, bytes: 4000 });
    const tiny = addImage(p, { name: 'tiny.png', bytes: 10, classId: dog });
    const big = addImage(p, { name: 'big.png', bytes: 10_000_000, width: 4000, height: 3000 });
    const sha = 'e'.repeat(64);
    const twinA = addImage(p, { name: 'twin-a.png', sha256: sha, phash: 'ffff0000ffff0000', classId: cat });
    const twinB = addImage(p, { name: 'twin-b.png', sha256: sha, phash: 'ffff0000ffff0000', classId: dog });
    const near1 = addImage(p, { name: 'near-1.png', phash: '0123456789abcdef' });
    const near2 = addImage(p, { name: 'near-2.png', phash: '0123456789abcdee' }); // 1 bit away
    const gone = addImage(p, { name: 'gone.png', bytes: 1 });
    excludeImages(p.db, [gone], 'a blank frame');
    const importId = p.imports.start('folder', '/photos');
    p.imports.addError(importId, { path: '/photos/broken.jpg', reason: 'truncated' });
    p.close();

    const r = await runCli(['inspect', '--project', p.dir]);
    expect(r.code).toBe(0);
    expect(r.lines).toHaveLength(1);
    const out = r.last;
    expect(out).toMatchObject({
      event: 'inspect',
      project: p.dir,
      images: 73,
      excluded: 1,
      unlabeled: 3,
      threshold: 6,
      bad_files: [{ path: '/photos/broken.jpg', reason: 'truncated' }],
    });
    expect(out.classes).toEqual([
      { name: 'cat', count: 61, share: 61 / 69, rare: false },
      { name: 'dog', count: 8, share: 8 / 69, rare: true },
    ]);
    expect(out.imbalance_ratio).toBeCloseTo(61 / 8);
    expect(String(out.warning)).toMatch(/"cat" has 7\.6 times as many images as "dog"/);
    const smallest = out.smallest_files as { id: number; path: string; bytes: number }[];
    expect(smallest).toHaveLength(10);
    expect(smallest[0]).toEqual({ id: tiny, path: '/photos/tiny.png', bytes: 10, width: 100, height: 100 });
    expect(smallest.map((f) => f.id)).not.toContain(gone); // excluded images are left out
    expect((out.largest_files as { id: number }[])[0]!.id).toBe(big);
    expect(out.exact_duplicates).toEqual([
      {
        sha256: sha,
        suggested_keep_id: twinA,
        images: [
          { id: twinA, path: '/photos/twin-a.png', label: 'cat' },
          { id: twinB, path: '/photos/twin-b.png', label: 'dog' },
        ],
      },
    ]);
    expect(out.near_duplicates).toContainEqual({
      suggested_keep_id: near1,
      images: [
        { id: near1, path: '/photos/near-1.png', label: null, distance: 0 },
        { id: near2, path: '/photos/near-2.png', label: null, distance: 1 },
      ],
    });
    expect(out.near_duplicates).toHaveLength(2); // the twins share a hash too
    expect(out.conflicting_labels).toEqual([{ sha256: sha, images: expect.any(Array) }]);

    const strict = await runCli(['inspect', '--project', p.dir, '--threshold', '0']);
    expect(strict.last.near_duplicates).toHaveLength(1);
    const bad = await runCli(['inspect', '--project', p.dir, '--threshold', '40']);
    expect(bad.code).toBe(2);
    expect(bad.last).toMatchObject({ event: 'error', code: 'usage', message: expect.stringMatching(/--threshold/) });
  });
});

describe('holdout label', () => {
  function project(): { dir: string; csvDir: string } {
    const p = newProject(tempDir);
    p.classes.ensure('cat');
    p.classes.ensure('dog');
    for (const rel of ['a, b.jpg', 'sub/c.jpg', 'd.jpg']) addImage(p, { name: path.join('/photos', rel), relPath: rel });
    p.close();
    return { dir: p.dir, csvDir: tempDir() };
  }

  it('applies a CSV with a BOM, quoted commas and CRLF in one action', async () => {
    const { dir, csvDir } = project();
    const csv = path.join(csvDir, 'labels.csv');
    fs.writeFileSync(csv, '\uFEFFpath,label\r\n"a, b.jpg",cat\r\n/photos/sub/c.jpg,dog\r\n');
    const r = await runCli(['label', '--project', dir, '--csv', csv, '--base-dir', '/photos']);
    expect(r.code).toBe(0);
    expect(r.last).toEqual({ event: 'label', project: dir, applied: 2, unchanged: 0, created_classes: [], action_id: expect.any(Number), errors: [] });
    expect(labelsOf(dir)).toEqual({ 'a, b.jpg': 'cat', 'sub/c.jpg': 'dog', 'd.jpg': null });
  });

  it('reports every bad row and applies nothing', async () => {
    const { dir, csvDir } = project();
    const csv = path.join(csvDir, 'bad.csv');
    fs.writeFileSync(csv, '\uFEFFpath,label\r\n"a, b.jpg",cat\r\nnowhere/x.jpg,cat\r\nd.jpg,"zebra, striped"\r\n');
    const r = await runCli(['label', '--project', dir, '--csv', csv]);
    expect(r.code).toBe(1);
    expect(r.lines).toHaveLength(1);
    expect(r.last).toMatchObject({ event: 'label', applied: 0, unchanged: 0 });
    expect(r.last.errors).toEqual([
      { row: 3, path: 'nowhere/x.jpg', reason: expect.stringMatching(/no image of the project has this path/) },
      { row: 4, path: 'd.jpg', reason: expect.stringMatching(/unknown class "zebra, striped"/) },
    ]);
    expect(r.stderr).toMatch(/nothing was applied/);
    expect(labelsOf(dir)).toEqual({ 'a, b.jpg': null, 'sub/c.jpg': null, 'd.jpg': null });

    const created = await runCli(['label', '--project', dir, '--csv', csv, '--create-classes']);
    expect(created.last.errors).toHaveLength(1); // the missing path still blocks everything
    expect(labelsOf(dir)['d.jpg']).toBeNull();
  });

  it('creates classes with --create-classes', async () => {
    const { dir, csvDir } = project();
    const csv = path.join(csvDir, 'new.csv');
    fs.writeFileSync(csv, 'd.jpg,"zebra, striped"\n');
    const r = await runCli(['label', '--project', dir, '--csv', csv, '--create-classes']);
    expect(r.code).toBe(0);
    expect(r.last).toMatchObject({ applied: 1, created_classes: ['zebra, striped'] });
    expect(labelsOf(dir)['d.jpg']).toBe('zebra, striped');
  });

  it('names the missing CSV file and the missing flag', async () => {
    const { dir } = project();
    const missing = path.join(tempDir(), 'nope.csv');
    const r = await runCli(['label', '--project', dir, '--csv', missing]);
    expect(r.code).toBe(1);
    expect(r.last).toMatchObject({ event: 'error', code: 'not_found', field: 'csv', message: `${missing} does not exist` });
    const noCsv = await runCli(['label', '--project', dir]);
    expect(noCsv.code).toBe(2);
    expect(noCsv.last.message).toMatch(/--csv/);
  });
});

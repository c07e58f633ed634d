import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../electron/api/errors.js';
import { createProject, openOrCreateProject, openProject } from '../../../electron/engine/project/project.js';
import type { NewImage } from '../../../electron/engine/store/images-repo.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-project-');

function image(n: number, classId: number | null): NewImage {
  const p = `/photos/img-${n}.png`;
  return {
    path: p,
    pathBytes: Buffer.from(p),
    relPath: `img-${n}.png`,
    sha256: n.toString(16).padStart(64, '0'),
    phash: 'ffff0000ffff0000',
    width: 10 + n,
    height: 20,
    bytes: 100 + n,
    format: 'png',
    capturedAt: null,
    mtimeMs: 1,
    classId,
    group: null,
  };
}

describe('projects', () => {
  it('creates a project folder with a database and thumbs/, and reopens it', () => {
    const dir = path.join(tempDir(), 'My birds');
    const p = createProject(dir, 'Birds of the garden');
    expect(fs.existsSync(path.join(dir, 'holdout.db'))).toBe(true);
    expect(fs.statSync(path.join(dir, 'thumbs')).isDirectory()).toBe(true);
    expect(p.summary()).toMatchObject({ name: 'Birds of the garden', imageCount: 0, classCount: 0 });
    p.close();
    const again = openProject(dir);
    expect(again.name).toBe('Birds of the garden');
    again.close();
  });

  it('names the folder when no name is given', () => {
    const dir = path.join(tempDir(), 'beetles');
    const p = createProject(dir);
    expect(p.name).toBe('beetles');
    p.close();
  });

  it('refuses to create a project in a non-empty folder or over an existing project', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'photo.jpg'), 'x');
    expect(() => createProject(dir)).toThrow(/not empty/);
    const proj = path.join(tempDir(), 'p');
    createProject(proj).close();
    const err = (() => {
      try {
        createProject(proj);
      } catch (e) {
        return e as ApiError;
      }
    })();
    expect(err).toBeInstanceOf(ApiError);
    expect(err?.field).toBe('dir');
    expect(err?.message).toMatch(/already a Holdout project/);
  });

  it('explains why a folder cannot be opened', () => {
    expect(() => openProject(path.join(tempDir(), 'nope'))).toThrow(/does not exist/);
    expect(() => openProject(tempDir())).toThrow(/not a Holdout project/);
    const file = path.join(tempDir(), 'holdout.db');
    fs.writeFileSync(file, 'this is not a database');
    expect(() => openProject(path.dirname(file))).toThrow(/could not be opened/);
  });

  it('openOrCreateProject creates once, then opens', () => {
    const dir = path.join(tempDir(), 'cli');
    openOrCreateProject(dir).close();
    const p = openOrCreateProject(dir);
    expect(p.summary().schemaVersion).toBeGreaterThan(0);
    p.close();
  });

  it('pages and counts images by class and status, and reports details with duplicates', () => {
    const p = createProject(path.join(tempDir(), 'grid'));
    const cat = p.classes.ensure('cat');
    const dog = p.classes.ensure('dog');
    expect(p.classes.ensure('cat')).toBe(cat);
    p.db.transaction(() => {
      for (let i = 1; i <= 30; i++) p.images.insert(image(i, i % 3 === 0 ? null : i % 3 === 1 ? cat : dog), null);
      p.images.insert({ ...image(1, cat), path: '/photos/copy.png', pathBytes: Buffer.from('/photos/copy.png') }, null);
    })();
    expect(p.images.count()).toBe(31);
    expect(p.images.count({ classId: null })).toBe(10);
    expect(p.images.count({ classId: cat })).toBe(11);
    const page = p.images.page({ classId: dog }, 2, 3);
    expect(page.map((t) => t.id)).toEqual([8, 11, 14]);
    expect(page.every((t) => t.classId === dog)).toBe(true);
    expect(p.classes.list()).toEqual([
      { id: cat, name: 'cat', count: 11 },
      { id: dog, name: 'dog', count: 10 },
    ]);
    const detail = p.images.detail(1);
    expect(detail).toMatchObject({ className: 'cat', width: 11, bytes: 101, duplicateIds: [31] });
    expect(p.images.detail(999)).toBeUndefined();
    p.close();
  });

  it('marks imports interrupted by a crash as failed on reopen', () => {
    const dir = path.join(tempDir(), 'crash');
    const p = createProject(dir);
    const id = p.imports.start('folder', '/photos');
    p.close();
    const again = openProject(dir);
    const row = again.db.prepare('SELECT status, message FROM imports WHERE id = ?').get(id) as { status: string; message: string };
    expect(row.status).toBe('failed');
    expect(row.message).toMatch(/interrupted/);
    again.close();
  });
});

// Re-importing the same folder adds only what is new.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../../electron/engine/project/project.js';
import { picture, tempDir, writePicture } from '../../fixtures/images/make-images.js';
import { imageRows, importInto, newProject, removeProject } from './helpers/project.js';

let photos: string;
let project: Project;
const FIXED_TIME = new Date('2024-01-01T12:00:00Z');
const source = () => ({ kind: 'folder' as const, folder: photos });

beforeAll(async () => {
  photos = tempDir('holdout-reimport-');
  for (let i = 0; i < 6; i++) {
    const file = path.join(photos, i < 3 ? 'cats' : 'dogs', `${i}.png`);
    await writePicture(file, 'png', { seed: i + 1 });
    fs.utimesSync(file, FIXED_TIME, FIXED_TIME); // whole seconds: restorable exactly below
  }
  project = newProject();
});
afterAll(() => {
  removeProject(project);
  fs.rmSync(photos, { recursive: true, force: true });
});

describe('re-import', () => {
  it('adds everything the first time', async () => {
    expect(await importInto(project, source())).toMatchObject({ imported: 6, skippedDuplicates: 0, updated: 0 });
  });

  it('skips unchanged files without reading them', async () => {
    // Changing the bytes but keeping size and mtime proves the file was not read:
    // the change goes unnoticed (which is the documented cost of not reading).
    const file = path.join(photos, 'cats', '0.png');
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 5] = bytes[bytes.length - 5]! ^ 0xff;
    fs.writeFileSync(file, bytes);
    fs.utimesSync(file, FIXED_TIME, FIXED_TIME);
    expect(await importInto(project, source())).toMatchObject({ imported: 0, skippedDuplicates: 6, updated: 0, errors: [] });
  });

  it('adds new files, refreshes changed ones, and skips touched ones whose bytes are the same', async () => {
    const before = Object.fromEntries(imageRows(project).map((r) => [r.rel_path, r]));
    await writePicture(path.join(photos, 'dogs', 'new.png'), 'png', { seed: 40 });
    await writePicture(path.join(photos, 'cats', '1.png'), 'png', { seed: 41 }); // new content
    const touched = path.join(photos, 'cats', '2.png');
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(touched, later, later); // same bytes, new mtime

    const summary = await importInto(project, source());
    expect(summary).toMatchObject({ imported: 1, updated: 1, skippedDuplicates: 5, exactDuplicates: 0 });

    const after = Object.fromEntries(imageRows(project).map((r) => [r.rel_path, r]));
    expect(Object.keys(after)).toHaveLength(7);
    const changed = after['cats/1.png']!;
    expect(changed.id).toBe(before['cats/1.png']!.id); // the same image, refreshed: its label stays
    expect(changed.class_name).toBe('cats');
    expect(changed.sha256).not.toBe(before['cats/1.png']!.sha256);
    expect(changed.sha256).toBe(
      (await import('node:crypto')).createHash('sha256').update(fs.readFileSync(path.join(photos, 'cats', '1.png'))).digest('hex'),
    );
    expect(fs.existsSync(project.thumbPath(changed.sha256))).toBe(true);
    // The touched file's new mtime was recorded, so the next import skips it without reading.
    expect(after['cats/2.png']!.mtime_ms).toBe(fs.statSync(touched).mtimeMs);
  });

  it('then finds nothing new', async () => {
    expect(await importInto(project, source())).toMatchObject({ imported: 0, updated: 0, skippedDuplicates: 7 });
  });

  it('counts a copy of a known picture under a new path as an exact duplicate, and imports it', async () => {
    fs.copyFileSync(path.join(photos, 'dogs', '3.png'), path.join(photos, 'dogs', 'copy.png'));
    fs.writeFileSync(path.join(photos, 'dogs', 'other.png'), await picture('png', { seed: 50 }));
    const summary = await importInto(project, source());
    expect(summary).toMatchObject({ imported: 2, exactDuplicates: 1 });
    expect(imageRows(project)).toHaveLength(9);
  });
});

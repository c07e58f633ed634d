// A folder import end to end: real files, real worker threads, real SQLite.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportProgress, ImportSummary } from '../../../electron/api/schemas.js';
import { startImport } from '../../../electron/engine/ingest/start-import.js';
import type { Project } from '../../../electron/engine/project/project.js';
import {
  bmp,
  exifRotatedJpeg,
  jpegWithCaptureTime,
  picture,
  pngBomb,
  SVG,
  tempDir,
  truncatedJpeg,
  writePicture,
} from '../../fixtures/images/make-images.js';
import { checkRowsComplete, imageRows, importInto, newProject, removeProject, tmpLeftovers } from './helpers/project.js';

let photos: string;
const LATIN1_NAME = Buffer.from([0x66, 0xe9, 0x6c, 0x69, 0x78, 0x2e, 0x70, 0x6e, 0x67]); // "félix.png" in Latin-1

beforeAll(async () => {
  photos = tempDir('holdout-photos-');
  const p = (rel: string) => path.join(photos, rel);
  const a = await writePicture(p('cats/a.png'), 'png', { seed: 1 });
  await writePicture(p('cats/b.jpg'), 'jpeg', { seed: 2, width: 640, height: 480 });
  await writePicture(p('cats/day1/c.webp'), 'webp', { seed: 3 });
  await writePicture(p('cats/day1/morning/d.gif'), 'gif', { seed: 4 });
  fs.writeFileSync(p('cats/day1/sideways.jpg'), await exifRotatedJpeg(120, 80));
  await writePicture(p('dogs/e.tiff'), 'tiff', { seed: 5 });
  fs.writeFileSync(p('dogs/dated.jpg'), await jpegWithCaptureTime('2021:07:14 16:30:05', null));
  fs.writeFileSync(p('dogs/copy of a.png'), a); // an exact duplicate under another path
  await writePicture(p('dogs/my dog 🐕 1.png'), 'png', { seed: 6 });
  fs.writeFileSync(Buffer.concat([Buffer.from(p('dogs') + '/'), LATIN1_NAME]), await picture('png', { seed: 7 }));
  await writePicture(p('top.png'), 'png', { seed: 8 });
  // Bad files, one of each kind.
  fs.writeFileSync(p('cats/empty.jpg'), '');
  fs.writeFileSync(p('cats/notes.txt'), 'not a picture');
  fs.writeFileSync(p('cats/text.jpg'), 'a text file with a .jpg name');
  fs.writeFileSync(p('cats/old.bmp'), bmp());
  fs.writeFileSync(p('cats/bmp-inside.png'), bmp());
  fs.writeFileSync(p('cats/drawing.svg'), SVG);
  fs.writeFileSync(p('cats/bomb.png'), pngBomb(30000, 30000));
  fs.writeFileSync(p('cats/cut.jpg'), await truncatedJpeg());
  fs.symlinkSync(p('dogs/self.jpg'), p('dogs/self.jpg'));
  fs.symlinkSync(photos, p('dogs/back-up'));
  // Clutter that is skipped without a word.
  fs.writeFileSync(p('.DS_Store'), 'x');
  fs.writeFileSync(p('cats/Thumbs.db'), 'x');
  fs.writeFileSync(p('cats/._a.png'), 'x');
});

afterAll(() => fs.rmSync(photos, { recursive: true, force: true }));

describe('folder import', () => {
  let project: Project;
  let summary: ImportSummary;
  const progress: ImportProgress[] = [];

  beforeAll(async () => {
    project = newProject();
    const running = startImport(project, { source: { kind: 'folder', folder: photos }, workers: 2, onProgress: (p) => progress.push(p) });
    // The imports row exists before any file is read.
    expect(project.db.prepare('SELECT status FROM imports WHERE id = ?').get(running.importId)).toEqual({ status: 'running' });
    summary = await running.done;
  });
  afterAll(() => removeProject(project));

  it('imports every good image and counts the exact duplicate', () => {
    expect(summary).toMatchObject({ status: 'done', source: photos, imported: 11, skippedDuplicates: 0, updated: 0, exactDuplicates: 1 });
    expect(imageRows(project).map((r) => r.rel_path)).toEqual([
      'cats/a.png',
      'cats/b.jpg',
      'cats/day1/c.webp',
      'cats/day1/morning/d.gif',
      'cats/day1/sideways.jpg',
      'dogs/copy of a.png',
      'dogs/dated.jpg',
      'dogs/e.tiff',
      'dogs/f\uFFFDlix.png',
      'dogs/my dog 🐕 1.png',
      'top.png',
    ]);
  });

  it('numbers images in folder order, whatever order the workers finish in', () => {
    const byId = project.db.prepare('SELECT rel_path FROM images ORDER BY id').pluck().all();
    expect(byId).toEqual(imageRows(project).map((r) => r.rel_path));
  });

  it('lists each bad file with its reason, in the summary and in import_errors', () => {
    const reasons = Object.fromEntries(summary.errors.map((e) => [path.relative(photos, e.path), e.reason]));
    expect(reasons).toEqual({
      'cats/empty.jpg': 'empty file (0 bytes)',
      'cats/notes.txt': 'not an image file type (.txt)',
      'cats/text.jpg': expect.stringMatching(/^not an image: the file contains text/),
      'cats/old.bmp': expect.stringMatching(/^unsupported format \(BMP\)/),
      'cats/bmp-inside.png': expect.stringMatching(/^unsupported format \(BMP\)/),
      'cats/drawing.svg': expect.stringMatching(/^unsupported format \(SVG\)/),
      'cats/bomb.png': expect.stringMatching(/^too many pixels: 30000×30000/),
      'cats/cut.jpg': expect.stringMatching(/^truncated: /),
      'dogs/self.jpg': expect.stringMatching(/^symbolic link loop/),
      'dogs/back-up': expect.stringMatching(/^symbolic link loop/),
    });
    expect(project.imports.errors(summary.importId)).toHaveLength(summary.errors.length);
  });

  it('assigns classes from the first folder level and groups from the levels below', () => {
    const rows = Object.fromEntries(imageRows(project).map((r) => [r.rel_path, [r.class_name, r.group_name]]));
    expect(rows['top.png']).toEqual([null, null]);
    expect(rows['cats/a.png']).toEqual(['cats', null]);
    expect(rows['cats/day1/c.webp']).toEqual(['cats', 'day1']);
    expect(rows['cats/day1/morning/d.gif']).toEqual(['cats', 'day1/morning']);
    expect(rows['dogs/e.tiff']).toEqual(['dogs', null]);
    expect(project.classes.list().map((c) => [c.name, c.count])).toEqual([
      ['cats', 5],
      ['dogs', 5],
    ]);
  });

  it('stores correct metadata', () => {
    const row = (rel: string) => imageRows(project).find((r) => r.rel_path === rel)!;
    expect(row('cats/b.jpg')).toMatchObject({ width: 640, height: 480, format: 'jpeg', captured_at: null });
    expect(row('cats/day1/sideways.jpg')).toMatchObject({ width: 80, height: 120 });
    expect(row('dogs/dated.jpg')).toMatchObject({ captured_at: '2021-07-14T16:30:05' });
    expect(row('dogs/e.tiff').format).toBe('tiff');
    expect(row('cats/a.png').sha256).toBe(row('dogs/copy of a.png').sha256);
    const a = row('cats/a.png');
    const onDisk = fs.statSync(a.path);
    expect([a.bytes, a.mtime_ms]).toEqual([onDisk.size, onDisk.mtimeMs]);
  });

  it('keeps the exact bytes of a name that is not UTF-8', () => {
    const row = imageRows(project).find((r) => r.rel_path === 'dogs/f\uFFFDlix.png')!;
    expect(Buffer.compare(row.path_bytes, Buffer.concat([Buffer.from(path.join(photos, 'dogs') + '/'), LATIN1_NAME]))).toBe(0);
  });

  it('writes a thumbnail of at most 256 px for every row, and leaves no temporary files', async () => {
    expect(checkRowsComplete(project)).toEqual([]);
    const big = imageRows(project).find((r) => r.rel_path === 'cats/b.jpg')!;
    expect(await sharp(project.thumbPath(big.sha256)).metadata()).toMatchObject({ format: 'webp', width: 256, height: 192 });
    expect(tmpLeftovers(project)).toEqual([]);
  });

  it('records the finished import', () => {
    expect(project.db.prepare('SELECT status, imported, skipped, updated, error_count FROM imports WHERE id = ?').get(summary.importId)).toEqual({
      status: 'done',
      imported: 11,
      skipped: 0,
      updated: 0,
      error_count: summary.errors.length,
    });
  });

  it('reports progress through its phases, ending complete', () => {
    const phases = [...new Set(progress.map((p) => p.phase))];
    expect(phases).toEqual(['scanning', 'processing', 'finishing']);
    const last = progress[progress.length - 1]!;
    expect(last).toMatchObject({ importId: summary.importId, phase: 'finishing', imported: 11, errors: summary.errors.length });
    expect(last.done).toBe(last.total);
    expect(last.total).toBe(11 + summary.errors.length);
  });
});

describe('folder import with unlabeled', () => {
  it('assigns no class and keeps the folder as the group', async () => {
    const project = newProject();
    try {
      const summary = await importInto(project, { kind: 'folder', folder: path.join(photos, 'cats'), unlabeled: true });
      expect(summary.imported).toBe(5);
      expect(project.classes.count()).toBe(0);
      const rows = Object.fromEntries(imageRows(project).map((r) => [r.rel_path, [r.class_name, r.group_name]]));
      expect(rows).toEqual({
        'a.png': [null, null],
        'b.jpg': [null, null],
        'day1/c.webp': [null, 'day1'],
        'day1/morning/d.gif': [null, 'day1/morning'],
        'day1/sideways.jpg': [null, 'day1'],
      });
    } finally {
      removeProject(project);
    }
  });
});

describe('startImport checks its source before recording anything', () => {
  it('refuses a missing folder and a file given as a folder', () => {
    const project = newProject();
    try {
      expect(() => startImport(project, { source: { kind: 'folder', folder: path.join(photos, 'nope') } })).toThrow(/does not exist/);
      expect(() => startImport(project, { source: { kind: 'folder', folder: path.join(photos, 'top.png') } })).toThrow(/is a file, not a folder/);
      expect(() => startImport(project, { source: { kind: 'csv', csv: photos } })).toThrow(/is a folder, not a CSV/);
      expect(project.imports.latestId()).toBeNull();
    } finally {
      removeProject(project);
    }
  });
});

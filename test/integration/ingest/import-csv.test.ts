// A CSV import end to end: labels and groups from the rows, bad rows by number.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, writePicture } from '../../fixtures/images/make-images.js';
import { checkRowsComplete, imageRows, importInto, newProject, removeProject } from './helpers/project.js';

let dir: string;
let outside: string;

beforeAll(async () => {
  dir = tempDir('holdout-csv-');
  outside = tempDir('holdout-csv-outside-');
  await writePicture(path.join(dir, 'imgs', 'a.png'), 'png', { seed: 1 });
  await writePicture(path.join(dir, 'imgs', 'b, c.jpg'), 'jpeg', { seed: 2 });
  await writePicture(path.join(dir, 'imgs', 'd.png'), 'png', { seed: 3 });
  await writePicture(path.join(outside, 'far.webp'), 'webp', { seed: 4 });
  fs.writeFileSync(path.join(dir, 'imgs', 'text.png'), 'not a picture');
  fs.writeFileSync(
    path.join(dir, 'labels.csv'),
    '\ufeffpath,label,group\r\n' +
      'imgs/a.png,cat,s1\r\n' +
      '"imgs/b, c.jpg","dog, big",\r\n' +
      `${path.join(outside, 'far.webp')},cat,s2\r\n` +
      'imgs/d.png,,\r\n' +
      'imgs/missing.png,cat,s1\r\n' +
      'imgs/text.png,cat,s1\r\n' +
      'imgs/a.png,cat\r\n',
  );
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

describe('CSV import', () => {
  it('imports rows with their labels and groups and reports bad rows by number', async () => {
    const project = newProject();
    try {
      const summary = await importInto(project, { kind: 'csv', csv: path.join(dir, 'labels.csv') });
      expect(summary).toMatchObject({ status: 'done', imported: 4, source: path.join(dir, 'labels.csv') });
      const rows = Object.fromEntries(imageRows(project).map((r) => [r.path, [r.rel_path, r.class_name, r.group_name]]));
      expect(rows).toEqual({
        [path.join(dir, 'imgs', 'a.png')]: ['imgs/a.png', 'cat', 's1'],
        [path.join(dir, 'imgs', 'b, c.jpg')]: ['imgs/b, c.jpg', 'dog, big', null],
        [path.join(outside, 'far.webp')]: [path.join(outside, 'far.webp'), 'cat', 's2'],
        [path.join(dir, 'imgs', 'd.png')]: ['imgs/d.png', null, null],
      });
      expect(summary.errors.map((e) => e.reason).sort()).toEqual([
        'row 6: file not found (it was moved or deleted, or the path is misspelt)',
        expect.stringMatching(/^row 7: not an image: the file contains text/),
        expect.stringMatching(/^row 8: has 2 columns but the first row has 3/),
      ]);
      expect(summary.errors.find((e) => e.reason.startsWith('row 6'))!.path).toBe(path.join(dir, 'imgs', 'missing.png'));
      expect(checkRowsComplete(project)).toEqual([]);
    } finally {
      removeProject(project);
    }
  });
});

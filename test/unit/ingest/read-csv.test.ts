import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCsv } from '../../../electron/engine/ingest/read-csv.js';
import { tempDir } from '../../fixtures/images/make-images.js';

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function csv(text: string | Buffer): string {
  const file = path.join(dir, 'labels.csv');
  fs.writeFileSync(file, text);
  return file;
}

describe('readCsv', () => {
  it('reads path,label with a header, a BOM, CRLF and quoted commas', async () => {
    const file = csv('\ufeffpath,label\r\nimgs/a.jpg,cat\r\n"imgs/b, c.jpg","dog, big"\r\n');
    const { items, errors } = await readCsv(file);
    expect(errors).toEqual([]);
    expect(items.map((i) => [i.path, i.relPath, i.className, i.group, i.row])).toEqual([
      [path.join(dir, 'imgs', 'a.jpg'), 'imgs/a.jpg', 'cat', null, 2],
      [path.join(dir, 'imgs', 'b, c.jpg'), 'imgs/b, c.jpg', 'dog, big', null, 3],
    ]);
  });

  it('reads rows without a header, with groups, absolute paths and empty labels', async () => {
    const abs = path.join(dir, 'abs', 'x.png');
    const file = csv(`a.jpg,cat,session1\n${abs},,\nb.jpg,,s2\n`);
    const { items, errors } = await readCsv(file);
    expect(errors).toEqual([]);
    expect(items.map((i) => [i.path, i.className, i.group])).toEqual([
      [path.join(dir, 'a.jpg'), 'cat', 'session1'],
      [abs, null, null],
      [path.join(dir, 'b.jpg'), null, 's2'],
    ]);
  });

  it('keeps paths outside the CSV folder absolute in relPath', async () => {
    const file = csv('../elsewhere/a.jpg,cat\n');
    const { items } = await readCsv(file);
    expect(items[0]!.relPath).toBe(path.resolve(dir, '..', 'elsewhere', 'a.jpg'));
  });

  it('reports each bad row by number and imports the rest', async () => {
    const file = csv('path,label\na.jpg,cat\nb.jpg\nc.jpg,dog,g,extra\n,cat\nnotes.txt,cat\na.jpg,dog\nd.jpg,dog\n');
    const { items, errors } = await readCsv(file);
    expect(items.map((i) => i.relPath)).toEqual(['a.jpg', 'd.jpg']);
    expect(errors.map((e) => e.reason)).toEqual([
      'row 3: has 1 column but the first row has 2; expected path,label',
      'row 4: has 4 columns but the first row has 2; expected path,label',
      'row 5: the path is empty',
      'row 6: not an image file type (.txt)',
      'row 7: lists the same file as row 2 (a.jpg); imported once',
    ]);
    expect(errors[0]!.path).toBe(file);
    expect(errors[3]!.path).toBe(path.join(dir, 'notes.txt'));
  });

  it('refuses a first row that is not path,label[,group]', async () => {
    const { items, errors } = await readCsv(csv('a.jpg\nb.jpg\n'));
    expect(items).toEqual([]);
    expect(errors).toEqual([{ path: path.join(dir, 'labels.csv'), reason: expect.stringMatching(/1 column in its first row/) }]);
  });

  it('reports a CSV that cannot be read', async () => {
    const { errors } = await readCsv(path.join(dir, 'missing.csv'));
    expect(errors[0]!.reason).toMatch(/^file not found/);
  });

  it('reports a broken quote with its row', async () => {
    const { items, errors } = await readCsv(csv('a.jpg,cat\n"b.jpg,dog\n'));
    expect(items.map((i) => i.relPath)).toEqual(['a.jpg']);
    expect(errors.length).toBe(1);
    expect(errors[0]!.reason).toMatch(/quote/i);
  });
});

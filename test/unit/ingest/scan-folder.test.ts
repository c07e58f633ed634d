import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanFolder } from '../../../electron/engine/ingest/scan-folder.js';
import { tempDir } from '../../fixtures/images/make-images.js';

let root: string;
beforeEach(() => {
  root = tempDir();
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** Creates empty files (the walk never reads them). */
function touch(...rels: string[]): void {
  for (const rel of rels) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), '');
  }
}

describe('scanFolder layout', () => {
  it('maps top-level files to unlabeled, sub-folders to classes and deeper folders to groups', async () => {
    touch('loose.jpg', 'cats/a.jpg', 'cats/day1/b.png', 'cats/day1/am/c.png', 'dogs/d.webp');
    const { items, errors } = await scanFolder(root);
    expect(errors).toEqual([]);
    const byRel = Object.fromEntries(items.map((i) => [i.relPath, { c: i.className, g: i.group }]));
    expect(byRel).toEqual({
      'loose.jpg': { c: null, g: null },
      'cats/a.jpg': { c: 'cats', g: null },
      'cats/day1/b.png': { c: 'cats', g: 'day1' },
      'cats/day1/am/c.png': { c: 'cats', g: 'day1/am' },
      'dogs/d.webp': { c: 'dogs', g: null },
    });
    const first = items.find((i) => i.relPath === 'cats/a.jpg')!;
    expect(first.path).toBe(path.join(root, 'cats', 'a.jpg'));
    expect(first.pathBytes.equals(Buffer.from(first.path))).toBe(true);
  });

  it('with unlabeled, assigns no class and uses the whole folder as the group', async () => {
    touch('loose.jpg', 'cats/day1/b.png');
    const { items } = await scanFolder(root, { unlabeled: true });
    expect(items.map((i) => [i.relPath, i.className, i.group])).toEqual([
      ['loose.jpg', null, null],
      ['cats/day1/b.png', null, 'cats/day1'],
    ]);
  });

  it('skips hidden files, OS clutter and hidden folders silently; lists other files', async () => {
    touch('.DS_Store', 'cats/Thumbs.db', 'cats/desktop.ini', '.hidden/x.jpg', '__MACOSX/cats/._a.jpg', 'cats/a.jpg', 'cats/notes.txt', 'cats/scan.bmp');
    const { items, errors } = await scanFolder(root);
    expect(items.map((i) => i.relPath)).toEqual(['cats/a.jpg']);
    expect(errors).toEqual([
      { path: path.join(root, 'cats', 'notes.txt'), reason: 'not an image file type (.txt)' },
      { path: path.join(root, 'cats', 'scan.bmp'), reason: expect.stringMatching(/^unsupported format \(BMP\)/) },
    ]);
  });

  it('keeps odd names: spaces, emoji, and bytes that are not UTF-8', async () => {
    touch('my cats/a cat 🐈.jpg');
    const raw = Buffer.concat([Buffer.from(root + '/'), Buffer.from([0x66, 0xe9, 0x6c, 0x69, 0x78]), Buffer.from('.png')]); // "félix" in Latin-1
    fs.writeFileSync(raw, '');
    const { items, errors } = await scanFolder(root);
    expect(errors).toEqual([]);
    expect(items.find((i) => i.className === 'my cats')?.relPath).toBe('my cats/a cat 🐈.jpg');
    const latin = items.find((i) => i.className === null)!;
    expect(latin.pathBytes.equals(raw)).toBe(true);
    expect(latin.path).toBe(`${root}/f\uFFFDlix.png`);
  });

  it('follows folder links, lists a link back to a parent as a loop, and never walks a folder twice', async () => {
    touch('cats/a.jpg', 'elsewhere/b.jpg');
    fs.symlinkSync(path.join(root, 'elsewhere'), path.join(root, 'linked'));
    fs.symlinkSync(root, path.join(root, 'cats', 'up'));
    const { items, errors } = await scanFolder(root);
    expect(items.map((i) => i.relPath).sort()).toEqual(['cats/a.jpg', 'elsewhere/b.jpg']);
    expect(errors).toEqual([
      { path: path.join(root, 'cats', 'up'), reason: expect.stringMatching(/^symbolic link loop/) },
      { path: path.join(root, 'linked'), reason: expect.stringMatching(/already being imported/) },
    ]);
  });

  it('lists a file link to itself and a broken link', async () => {
    fs.symlinkSync(path.join(root, 'self.jpg'), path.join(root, 'self.jpg'));
    fs.symlinkSync(path.join(root, 'gone.jpg'), path.join(root, 'dangling.jpg'));
    const { items, errors } = await scanFolder(root);
    expect(items).toEqual([]);
    expect(errors).toEqual([
      { path: path.join(root, 'dangling.jpg'), reason: expect.stringMatching(/^broken symbolic link/) },
      { path: path.join(root, 'self.jpg'), reason: expect.stringMatching(/^symbolic link loop/) },
    ]);
  });

  it('does not enter skipped folders (the project living among the photos)', async () => {
    touch('cats/a.jpg', 'project/thumbs/ab/abc.webp');
    const { items } = await scanFolder(root, { skipFolders: [path.join(root, 'project')] });
    expect(items.map((i) => i.relPath)).toEqual(['cats/a.jpg']);
  });
});

// Labels CSV in and out: the reader copes with what spreadsheets write (a BOM, quoted
// commas, CRLF, blank lines, no header) and reports rows by line; applying is all or
// nothing and one undoable action; the export reads back to the same labels.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { applyLabelCsv } from '../../../electron/engine/labeling/apply-label-csv.js';
import { exportLabels, labelsCsv } from '../../../electron/engine/labeling/export-labels.js';
import { excludeImages } from '../../../electron/engine/labeling/label-images.js';
import { readLabelCsv } from '../../../electron/engine/labeling/read-label-csv.js';
import { nextUnlabeled } from '../../../electron/engine/labeling/unlabeled-queue.js';
import { historyState, undo } from '../../../electron/engine/labeling/undo-redo.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { addImage, classOf, newProject } from '../curation/project-fixture.js';

const tempDir = tempDirFactory('holdout-labelcsv-');

describe('readLabelCsv', () => {
  it('reads a header, a BOM, quoted commas, CRLF and blank lines, with line numbers', () => {
    const text = '\uFEFFpath,label\r\n"a, b.jpg",cat\r\n\r\nc.jpg,"dog, large"\r\n"multi\nline.jpg",fox\r\nd.jpg , owl \r\n';
    const { rows, errors } = readLabelCsv(Buffer.from(text));
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { row: 2, path: 'a, b.jpg', label: 'cat' },
      { row: 4, path: 'c.jpg', label: 'dog, large' },
      { row: 5, path: 'multi\nline.jpg', label: 'fox' },
      { row: 7, path: 'd.jpg', label: 'owl' },
    ]);
  });

  it('reads files without a header, and columns in any order with one', () => {
    expect(readLabelCsv('x.jpg,cat\ny.jpg,\n').rows).toEqual([
      { row: 1, path: 'x.jpg', label: 'cat' },
      { row: 2, path: 'y.jpg', label: '' },
    ]);
    expect(readLabelCsv('group,Label,PATH\ng1,cat,x.jpg\n').rows).toEqual([{ row: 2, path: 'x.jpg', label: 'cat' }]);
  });

  it('reports short rows, empty paths, half a header and broken quoting by line', () => {
    expect(readLabelCsv('path,label\nonly-a-path.jpg\n,cat\n').errors).toEqual([
      { row: 2, path: 'only-a-path.jpg', reason: 'expected 2 columns (path,label), found 1' },
      { row: 3, path: '', reason: 'the path is empty' },
    ]);
    expect(readLabelCsv('path,kind\nx.jpg,cat\n').errors[0]).toMatchObject({ row: 1, reason: expect.stringMatching(/"path" and a "label"/) });
    const broken = readLabelCsv('path,label\nx.jpg,"cat\n');
    expect(broken.errors[0]).toMatchObject({ row: 2, reason: expect.stringMatching(/not valid CSV/) });
  });
});

describe('applyLabelCsv', () => {
  function setup() {
    const p = newProject(tempDir);
    const cat = p.classes.ensure('cat');
    const dog = p.classes.ensure('dog');
    const a = addImage(p, { name: '/photos/a, b.jpg', relPath: 'a, b.jpg' });
    const b = addImage(p, { name: '/photos/sub/b.jpg', relPath: 'sub/b.jpg' });
    const c = addImage(p, { name: '/photos/c.jpg', relPath: 'c.jpg', classId: dog });
    return { p, cat, dog, a, b, c };
  }
  // The CSV lives elsewhere: relative paths match through the path relative to the imported folder.
  const opts = { baseDir: '/csv-folder', createClasses: false, sourceName: 'labels.csv' };

  it('applies a good file as one undoable action, by absolute, relative and import-relative paths', () => {
    const { p, cat, dog, a, b, c } = setup();
    const { rows, errors } = readLabelCsv('path,label\r\n"/photos/a, b.jpg",cat\r\nsub/b.jpg,Dog\r\nc.jpg,dog\r\n');
    const r = applyLabelCsv(p.db, rows, errors, opts);
    expect(r).toMatchObject({ applied: 2, unchanged: 1, createdClasses: [], errors: [] });
    expect([classOf(p, a), classOf(p, b), classOf(p, c)]).toEqual([cat, dog, dog]);
    expect(historyState(p.db).undoSummary).toBe('labels from labels.csv (2 images)');
    undo(p.db);
    expect([classOf(p, a), classOf(p, b)]).toEqual([null, null]);
    p.close();
  });

  it('applies nothing when any row is bad, and reports each bad row', () => {
    const { p, a } = setup();
    const text = ['path,label', '"a, b.jpg",cat', 'missing.jpg,cat', 'c.jpg,zebra', 'sub/b.jpg,cat', 'sub/b.jpg,dog'].join('\n');
    const { rows, errors } = readLabelCsv(text);
    const r = applyLabelCsv(p.db, rows, errors, opts);
    expect(r.applied).toBe(0);
    expect(r.errors).toEqual([
      { row: 3, path: 'missing.jpg', reason: expect.stringMatching(/no image of the project has this path/) },
      { row: 4, path: 'c.jpg', reason: expect.stringMatching(/unknown class "zebra".*--create-classes/) },
      { row: 6, path: 'sub/b.jpg', reason: 'row 5 gives the same image the label "cat"' },
    ]);
    expect(classOf(p, a)).toBeNull();
    expect(historyState(p.db).canUndo).toBe(false);
    p.close();
  });

  it('creates unknown classes when asked, and undo removes them again', () => {
    const { p, a, b } = setup();
    const { rows, errors } = readLabelCsv('"a, b.jpg",zebra\nsub/b.jpg,Zebra\n');
    const r = applyLabelCsv(p.db, rows, errors, { ...opts, createClasses: true });
    expect(r).toMatchObject({ applied: 2, createdClasses: ['zebra'] });
    const zebra = p.classes.byName('zebra')!.id;
    expect([classOf(p, a), classOf(p, b)]).toEqual([zebra, zebra]);
    undo(p.db);
    expect(p.classes.byName('zebra')).toBeUndefined();
    p.close();
  });
});

describe('export and the unlabeled queue', () => {
  it('exports path,label,group,split and reads back to the same labels', () => {
    const p = newProject(tempDir);
    const cat = p.classes.ensure('cat, the "house" kind');
    const a = addImage(p, { name: '/photos/one.jpg', classId: cat, group: 'session 1' });
    addImage(p, { name: '/photos/two.jpg' });
    const x = addImage(p, { name: '/photos/three.jpg', classId: cat });
    excludeImages(p.db, [x], 'blurred');
    const file = path.join(tempDir(), 'labels.csv');
    expect(exportLabels(p.db, file)).toEqual({ path: file, rows: 2 });
    // Only new .csv files, in folders that exist (the project's own exports folder is made).
    expect(() => exportLabels(p.db, file)).toThrow(/already exists/);
    expect(exportLabels(p.db, file, { overwrite: true }).rows).toBe(2);
    expect(() => exportLabels(p.db, path.join(tempDir(), 'labels.txt'))).toThrow(/must be a \.csv file/);
    expect(() => exportLabels(p.db, path.join(tempDir(), 'no', 'such', 'x.csv'))).toThrow(/does not exist/);
    const inProject = path.join(p.dir, 'exports', 'a', 'x.csv');
    expect(exportLabels(p.db, inProject, { mayCreateFoldersIn: p.dir }).path).toBe(inProject);
    const records = parse(fs.readFileSync(file)) as string[][];
    expect(records).toEqual([
      ['path', 'label', 'group', 'split'],
      ['/photos/one.jpg', 'cat, the "house" kind', 'session 1', ''],
      ['/photos/two.jpg', '', '', ''],
    ]);
    expect(labelsCsv(p.db, { includeExcluded: true }).rows).toBe(3);
    // Round trip: the exported file applies cleanly and changes nothing.
    const back = readLabelCsv(fs.readFileSync(file));
    expect(applyLabelCsv(p.db, back.rows, back.errors, { baseDir: '/', createClasses: false, sourceName: 'x' })).toMatchObject({
      applied: 0,
      unchanged: 2,
      errors: [],
    });
    expect(classOf(p, a)).toBe(cat);
    p.close();
  });

  it('walks unlabeled, included images in order and wraps around', () => {
    const p = newProject(tempDir);
    const cat = p.classes.ensure('cat');
    const [u1, , u3, u4] = [addImage(p), addImage(p, { classId: cat }), addImage(p), addImage(p)];
    excludeImages(p.db, [u4!], 'not a cat');
    expect(nextUnlabeled(p.db)).toMatchObject({ image: { id: u1 }, remaining: 2, wrapped: false });
    expect(nextUnlabeled(p.db, u1)).toMatchObject({ image: { id: u3 }, wrapped: false });
    expect(nextUnlabeled(p.db, u3)).toMatchObject({ image: { id: u1 }, wrapped: true });
    p.close();
  });
});

// Generated CSVs for `holdout import --csv` (path,label[,group]) and `holdout label --csv`
// (path,label): the ways real files go wrong. The million-row file is written as a
// stream, line by line, so making it costs no memory.
import fs from 'node:fs';
import path from 'node:path';
import type { Expected } from './corpus-kind.js';

export interface CsvKind {
  kind: string;
  /** The CSV's text, given the folder it sits in (which holds good.png, other.png, sub/deep.png). */
  text: (dir: string) => string | Buffer;
  expected: Expected;
  /** For import kinds that work: how many images the import adds. */
  imported?: number;
}

const BOM = '\ufeff';

export const IMPORT_CSV_KINDS: CsvKind[] = [
  { kind: 'import: byte-order mark and header', text: () => `${BOM}path,label\ngood.png,cat\nother.png,dog\n`, expected: 'works', imported: 2 },
  { kind: 'import: CRLF line endings', text: () => 'good.png,cat\r\nother.png,dog\r\n', expected: 'works', imported: 2 },
  {
    kind: 'import: quoted fields with commas and line breaks',
    text: () => 'path,label,group\n"with, comma.png","big, red","session\n1"\ngood.png,"cat",""\n',
    expected: 'works',
    imported: 2,
  },
  { kind: 'import: wrong number of columns (5)', text: () => 'good.png,cat,g,x,y\n', expected: /the CSV has 5 columns in its first row; it needs path,label or path,label,group/ },
  { kind: 'import: one column only', text: () => 'good.png\nother.png\n', expected: /the CSV has 1 column in its first row/ },
  { kind: 'import: ragged rows', text: () => 'good.png,cat\nother.png,dog,g1,extra\n', expected: /row 2: has 4 columns but the first row has 2/, imported: 1 },
  { kind: 'import: unknown paths', text: () => 'good.png,cat\nnot-there.png,cat\n', expected: /row 2: file not found/, imported: 1 },
  { kind: 'import: path outside the base folder (../)', text: (dir) => `../${path.basename(dir)}/sub/deep.png,cat\n`, expected: 'works', imported: 1 },
  { kind: 'import: traversal to a system file', text: () => '../../../../../../../../etc/passwd,cat\n../../../../../../../../etc/hostname.png,cat\n', expected: /row 1: not an image file type \(no extension\)/ },
  { kind: 'import: duplicate rows', text: () => 'good.png,cat\ngood.png,cat\n./good.png,dog\n', expected: /row 2: lists the same file as row 1/, imported: 1 },
  { kind: 'import: unterminated quote', text: () => 'good.png,cat\n"other.png,dog\n', expected: /row 2: Quote Not Closed/ },
  { kind: 'import: empty file', text: () => '', expected: 'works', imported: 0 },
  { kind: 'import: binary bytes instead of text', text: () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]), expected: /column|not an image|could not be read/ },
  { kind: 'import: empty path cell', text: () => 'good.png,cat\n,dog\n', expected: /row 2: the path is empty/, imported: 1 },
];

export const LABEL_CSV_KINDS: CsvKind[] = [
  { kind: 'label: byte-order mark, header, quoted cells', text: () => `${BOM}"path","label"\r\n"good.png","cat"\r\n`, expected: 'works' },
  { kind: 'label: unknown path', text: () => 'path,label\ngood.png,cat\nnope.png,cat\n', expected: /no image of the project has this path/ },
  { kind: 'label: unknown class', text: () => 'path,label\ngood.png,zebra\n', expected: /unknown class "zebra"/ },
  { kind: 'label: one image given two labels', text: () => 'path,label\ngood.png,cat\ngood.png,dog\n', expected: /row 2 gives the same image the label "cat"/ },
  { kind: 'label: header with only a path column', text: () => 'path,notes\ngood.png,cat\n', expected: /the header needs both a "path" and a "label" column/ },
  { kind: 'label: row with one column', text: () => 'good.png,cat\nother.png\n', expected: /expected 2 columns \(path,label\), found 1/ },
  { kind: 'label: unterminated quote', text: () => 'good.png,"cat\n', expected: /the file is not valid CSV/ },
];

/**
 * Writes a CSV of `rows` rows (plus a header) to `file` as a stream, never holding it in
 * memory; paths are relative and need not exist. Resolves with the file's size in bytes.
 */
export async function writeHugeCsv(file: string, rows: number): Promise<number> {
  const out = fs.createWriteStream(file);
  const batch = 10_000;
  const write = (text: string) => new Promise<void>((resolve) => (out.write(text) ? resolve() : out.once('drain', resolve)));
  await write('path,label\n');
  for (let start = 0; start < rows; start += batch) {
    let chunk = '';
    for (let i = start; i < Math.min(rows, start + batch); i++) chunk += `photos/${i}.jpg,class${i % 10}\n`;
    await write(chunk);
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return fs.statSync(file).size;
}

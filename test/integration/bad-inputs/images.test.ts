// The image part of the bad-inputs corpus (test/corpus/bad-images.ts), imported as one
// folder into a project that already holds labeled images, through the real import
// (worker threads, sharp, SQLite). Each kind must import or be listed with its reason;
// the import must finish; the images and labels already there must be untouched.
// An SVG's external references point at a local server that must receive no request.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../../electron/api/schemas.js';
import type { Project } from '../../../electron/engine/project/project.js';
import { IMAGE_KINDS } from '../../corpus/bad-images.js';
import { check, newTally, summaryLine } from '../../corpus/corpus-kind.js';
import { writePicture } from '../../fixtures/images/make-images.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { checkRowsComplete, imageRows, importInto, newProject, removeProject } from '../ingest/helpers/project.js';
import { integrity, projectState, type ProjectState } from './project-state.js';

const tempDir = tempDirFactory('holdout-bad-images-');
const tally = newTally('images');
let project: Project;
let corpus: string;
let before: ProjectState;
let summary: ImportSummary;
let server: http.Server;
const requests: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const svgUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const base = tempDir();
  const good = path.join(base, 'good');
  await writePicture(path.join(good, 'cats', 'a.png'), 'png', { seed: 101 });
  await writePicture(path.join(good, 'dogs', 'b.jpg'), 'jpeg', { seed: 102 });
  corpus = path.join(base, 'corpus');
  fs.mkdirSync(corpus);
  for (const k of IMAGE_KINDS) fs.writeFileSync(path.join(corpus, k.file), await k.make({ svgUrl }));

  project = newProject();
  const first = await importInto(project, { kind: 'folder', folder: good }, { workers: 1 });
  expect(first).toMatchObject({ status: 'done', imported: 2 });
  before = projectState(project);
  summary = await importInto(project, { kind: 'folder', folder: corpus, unlabeled: true }, { workers: 2 });
}, 30_000);

afterAll(async () => {
  removeProject(project);
  await new Promise((resolve) => server.close(resolve));
});

describe('bad images', () => {
  it('the import of the whole corpus finishes and accounts for every file', () => {
    expect(summary.status).toBe('done');
    const works = IMAGE_KINDS.filter((k) => k.expected === 'works').length;
    expect(summary.imported).toBe(works);
    expect(summary.errors).toHaveLength(IMAGE_KINDS.length - works);
  });

  it.each(IMAGE_KINDS.map((k) => [k.kind, k] as const))('%s', async (kind, k) => {
    await check(tally, kind, () => {
      const file = path.join(corpus, k.file);
      const row = imageRows(project).find((r) => r.path === file);
      const error = summary.errors.find((e) => e.path === file);
      if (k.expected === 'works') {
        expect(error, `${k.file} was refused: ${error?.reason}`).toBeUndefined();
        expect(row).toBeDefined();
        expect(row).toMatchObject(k.facts ?? {});
      } else {
        expect(row, `${k.file} was imported`).toBeUndefined();
        // The error names the file (its path) and says why in words.
        expect(error?.reason).toMatch(k.expected);
      }
    });
  });

  it('fetched nothing: SVG external references were never followed', async () => {
    await check(tally, 'no network access from SVG references', () => expect(requests).toEqual([]));
  });

  it('lost nothing: earlier images and labels unchanged, every row complete, integrity ok', async () => {
    await check(tally, 'project intact after the corpus', () => {
      const after = projectState(project);
      expect(after.images.slice(0, before.images.length)).toEqual(before.images);
      expect(after.classes).toEqual(before.classes);
      expect(checkRowsComplete(project)).toEqual([]);
      expect(integrity(project)).toBe('ok');
    });
  });

  it('summary', () => {
    console.log(summaryLine(tally));
    expect(tally.passed).toEqual(tally.tried);
    expect(tally.tried.length).toBe(IMAGE_KINDS.length + 2);
  });
});

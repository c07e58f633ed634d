// The CSV part of the bad-inputs corpus (test/corpus/bad-csvs.ts), through the real
// import (startImport with a CSV source) and the real label application (readLabelCsv +
// applyLabelCsv, what `holdout label --csv` runs), all into one project whose earlier
// images and labels must survive every refused file unchanged.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../../electron/api/schemas.js';
import { MAX_CSV_ROWS } from '../../../electron/engine/ingest/csv-limits.js';
import { applyLabelCsv } from '../../../electron/engine/labeling/apply-label-csv.js';
import { readLabelCsv } from '../../../electron/engine/labeling/read-label-csv.js';
import type { Project } from '../../../electron/engine/project/project.js';
import { IMPORT_CSV_KINDS, LABEL_CSV_KINDS, writeHugeCsv } from '../../corpus/bad-csvs.js';
import { check, newTally, summaryLine } from '../../corpus/corpus-kind.js';
import { writePicture } from '../../fixtures/images/make-images.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { importInto, newProject, removeProject } from '../ingest/helpers/project.js';
import { integrity, projectState } from './project-state.js';

const tempDir = tempDirFactory('holdout-bad-csvs-');
const tally = newTally('CSVs');
let project: Project;
let base: string;
let seed = 200;

/** A folder with the pictures the CSVs name. */
async function pictureFolder(name: string): Promise<string> {
  const dir = path.join(base, name);
  for (const f of ['good.png', 'other.png', 'with, comma.png', 'sub/deep.png']) await writePicture(path.join(dir, f), 'png', { seed: seed++ });
  return dir;
}

beforeAll(async () => {
  base = tempDir();
  project = newProject();
  const seeded = await pictureFolder('labeled');
  fs.writeFileSync(path.join(seeded, 'start.csv'), 'good.png,cat\nother.png,dog\n');
  expect(await importInto(project, { kind: 'csv', csv: path.join(seeded, 'start.csv') }, { workers: 1 })).toMatchObject({ status: 'done', imported: 2 });
});
afterAll(() => removeProject(project));

describe('CSV import', () => {
  // Each kind imports into its own fresh project, all at once: a worker thread costs
  // ~1 s to start here, and fourteen of them one after another would dominate the file.
  const outcomes = new Map<string, { project: Project; summary: ImportSummary }>();
  beforeAll(async () => {
    await Promise.all(
      IMPORT_CSV_KINDS.map(async (k, i) => {
        const dir = await pictureFolder(`import-${i}`);
        const csv = path.join(dir, 'list.csv');
        fs.writeFileSync(csv, k.text(dir));
        const own = newProject();
        outcomes.set(k.kind, { project: own, summary: await importInto(own, { kind: 'csv', csv }, { workers: 1 }) });
      }),
    );
  }, 20_000);
  afterAll(() => {
    for (const { project: own } of outcomes.values()) removeProject(own);
  });

  it.each(IMPORT_CSV_KINDS.map((k) => [k.kind, k] as const))('%s', async (kind, k) => {
    await check(tally, kind, async () => {
      const { project: own, summary } = outcomes.get(kind)!;
      expect(summary.status).toBe('done');
      if (k.imported !== undefined) expect(summary.imported).toBe(k.imported);
      if (k.expected === 'works') {
        expect(summary.errors).toEqual([]);
      } else {
        // Every error names a file: the CSV itself (with its row) or the file a row lists.
        expect(summary.errors.length).toBeGreaterThan(0);
        expect(summary.errors.map((e) => e.reason).join('\n')).toMatch(k.expected);
        for (const e of summary.errors) expect(e.path).toMatch(/^\//);
      }
      // No half-inserted row: exactly the imported images, and a sound database.
      expect(projectState(own).images).toHaveLength(summary.imported);
      expect(integrity(own)).toBe('ok');
    });
  });

  it('quoted cells keep their commas and line breaks', () => {
    const row = outcomes.get('import: quoted fields with commas and line breaks')!.project.db
      .prepare(`SELECT i.group_name AS g, c.name AS c FROM images i JOIN classes c ON c.id = i.class_id WHERE i.path LIKE '%with, comma.png'`)
      .get() as { g: string; c: string };
    expect(row).toEqual({ g: 'session\n1', c: 'big, red' });
  });
});

describe('labels CSV', () => {
  it.each(LABEL_CSV_KINDS.map((k) => [k.kind, k] as const))('%s', async (kind, k) => {
    await check(tally, kind, () => {
      const baseDir = path.join(base, 'labeled');
      const before = projectState(project);
      const parsed = readLabelCsv(Buffer.from(k.text(baseDir)));
      const result = applyLabelCsv(project.db, parsed.rows, parsed.errors, { baseDir, createClasses: false, sourceName: 'corpus.csv' });
      if (k.expected === 'works') {
        expect(result.errors).toEqual([]);
      } else {
        expect(result.errors.map((e) => e.reason).join('\n')).toMatch(k.expected);
        // All or nothing: a refused file changes no label.
        expect(result.applied).toBe(0);
        expect(projectState(project)).toEqual(before);
      }
    });
  });
});

describe('a million rows', () => {
  let huge: string;
  beforeAll(async () => {
    huge = path.join(base, 'million.csv');
    expect(await writeHugeCsv(huge, 1_000_000)).toBeGreaterThan(20_000_000);
  }, 20_000);

  it('import refuses it at once with the limit, naming the file', async () => {
    await check(tally, 'import: 1,000,000 rows', async () => {
      const before = projectState(project);
      const started = performance.now();
      const summary = await importInto(project, { kind: 'csv', csv: huge });
      // Refused before parsing the rows: it took 32 s to parse them all; ~0.3 s to refuse (10 s leaves room for a busy machine).
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(summary).toMatchObject({ status: 'done', imported: 0 });
      expect(summary.errors).toEqual([
        { path: huge, reason: `the CSV has 1,000,001 lines, over the limit of ${MAX_CSV_ROWS.toLocaleString('en-US')} rows: split it into smaller files and import them one after another` },
      ]);
      expect(projectState(project)).toEqual(before);
    });
  });

  it('label refuses it at once with the limit, changing nothing', async () => {
    await check(tally, 'label: 1,000,000 rows', () => {
      const before = projectState(project);
      const started = performance.now();
      const parsed = readLabelCsv(fs.readFileSync(huge));
      const result = applyLabelCsv(project.db, parsed.rows, parsed.errors, { baseDir: base, createClasses: true, sourceName: 'million.csv' });
      // Refused before parsing the rows: it took 32 s to parse them all; ~0.3 s to refuse (10 s leaves room for a busy machine).
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(result.errors).toEqual([{ row: 0, path: '', reason: expect.stringMatching(/^the CSV has 1,000,001 lines, over the limit of 250,000 rows/) }]);
      expect(projectState(project)).toEqual(before);
    });
  });
});

describe('after every CSV', () => {
  it('the database is sound', async () => {
    await check(tally, 'integrity after the CSV corpus', () => expect(integrity(project)).toBe('ok'));
  });

  it('summary', () => {
    console.log(summaryLine(tally));
    expect(tally.passed).toEqual(tally.tried);
    expect(tally.tried.length).toBe(IMPORT_CSV_KINDS.length + LABEL_CSV_KINDS.length + 3);
  });
});

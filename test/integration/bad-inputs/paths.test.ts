// The path part of the bad-inputs corpus: links out of the imported folder and out of
// the project, link loops, very long and non-UTF-8 names, and a CSV row whose path is
// longer than the system allows, through one folder import and one CSV import.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../../electron/api/schemas.js';
import type { Project } from '../../../electron/engine/project/project.js';
import { check, newTally, summaryLine } from '../../corpus/corpus-kind.js';
import { writePicture } from '../../fixtures/images/make-images.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { imageRows, importInto, newProject, removeProject } from '../ingest/helpers/project.js';
import { integrity } from './project-state.js';

const tempDir = tempDirFactory('holdout-bad-paths-');
const tally = newTally('paths');
let project: Project;
let folder: string;
let outside: string;
let summary: ImportSummary;
let csvSummary: ImportSummary;
const longName = `${'n'.repeat(246)}.png`; // 250 bytes: the most a Linux name may have
const latin1Name = Buffer.from('caf\xe9.png', 'latin1'); // "café" in Latin-1: not UTF-8

beforeAll(async () => {
  const base = tempDir();
  folder = path.join(base, 'photos');
  outside = path.join(base, 'elsewhere', 'outside.png');
  await writePicture(outside, 'png', { seed: 301 });
  await writePicture(path.join(folder, 'cats', longName), 'png', { seed: 302 });
  fs.writeFileSync(Buffer.from(path.join(folder, 'cats/') + latin1Name.toString('latin1'), 'latin1'), await writePicture(path.join(base, 'tmp.png'), 'png', { seed: 303 }));
  fs.symlinkSync(outside, path.join(folder, 'cats', 'link-out.png'));
  fs.symlinkSync('/dev/zero', path.join(folder, 'cats', 'endless.jpg'));
  fs.symlinkSync(path.join(base, 'gone.png'), path.join(folder, 'cats', 'dangling.png'));
  fs.symlinkSync('..', path.join(folder, 'cats', 'loop'));
  fs.symlinkSync('/etc/hostname', path.join(folder, 'cats', 'system.png'));
  project = newProject();
  summary = await importInto(project, { kind: 'folder', folder }, { workers: 1 });
  const csv = path.join(base, 'long.csv');
  fs.writeFileSync(csv, `${'d/'.repeat(2100)}x.png,cats\n`);
  csvSummary = await importInto(project, { kind: 'csv', csv }, { workers: 1 });
}, 20_000);
afterAll(() => removeProject(project));

function errorFor(name: string): string | undefined {
  return summary.errors.find((e) => e.path === path.join(folder, 'cats', name))?.reason;
}

const KINDS: [string, () => void][] = [
  ['path: symbolic link to a picture outside the folder (followed, imported)', () => expect(imageRows(project).some((r) => r.rel_path === 'cats/link-out.png')).toBe(true)],
  ['path: symbolic link to /dev/zero named .jpg', () => expect(errorFor('endless.jpg')).toMatch(/not a regular file/)],
  ['path: dangling symbolic link', () => expect(errorFor('dangling.png')).toMatch(/broken symbolic link/)],
  ['path: symbolic link loop to a parent folder', () => expect(errorFor('loop')).toMatch(/symbolic link loop/)],
  ['path: link to a system file outside the project', () => expect(errorFor('system.png')).toMatch(/^not an image/)],
  ['path: 250-byte file name', () => expect(imageRows(project).some((r) => r.rel_path === `cats/${longName}`)).toBe(true)],
  ['path: non-UTF-8 bytes in a name', () => expect(imageRows(project).some((r) => r.path_bytes.includes(latin1Name))).toBe(true)],
  ['path: CSV row longer than the system allows', () => expect(csvSummary.errors.map((e) => e.reason).join()).toMatch(/row 1: (unreadable: the path is too long|file not found)/)],
];

describe('bad paths', () => {
  it('both imports finish, with a sound database', () => {
    expect(summary.status).toBe('done');
    expect(csvSummary.status).toBe('done');
    expect(integrity(project)).toBe('ok');
  });

  it.each(KINDS)('%s', async (kind, body) => {
    await check(tally, kind, body);
  });

  it('summary', () => {
    console.log(summaryLine(tally));
    expect(tally.passed).toEqual(tally.tried);
    expect(tally.tried.length).toBe(KINDS.length);
  });
});

// `holdout import` (and a label change) with the project on a real disk that is full: a
// small tmpfs filled up. The import stops with one message that says the disk is full,
// names the folder or file, and says what to do; the project stays whole (integrity_check
// ok, every image row has its thumbnail, no temporary files); once space is freed the
// same import finishes the rest. SQLite hitting SQLITE_FULL says the same, not "internal".
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createProject } from '../../../electron/engine/project/project.js';
import { writeShapesDataset } from '../../helpers/shapes-dataset.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { isMounted, listAll, mountSmallDisk, type SmallDisk } from './small-disk.js';
import { sourceCli } from './source-cli.js';

const tempDir = tempDirFactory('holdout-disk-full-import-');
const PER_CLASS = 12;
const TOTAL = PER_CLASS * 3;

const mounted = mountSmallDisk(tempDir(), 3072);
const disk: SmallDisk | null = isMounted(mounted) ? mounted : null;
// RLIMIT_FSIZE cannot stand in here: it limits each file, and the project's database is
// already over any limit small enough to matter, so nothing about the import would be tested.
if (!disk) console.warn(`SKIPPED disk-full import tests: ${'unavailable' in mounted ? mounted.unavailable : ''}; they need root to mount a small tmpfs`);
else console.info(`disk-full import tests: a real ${3072} KiB tmpfs at ${disk.dir}`);
afterAll(() => disk?.unmount());
afterEach(() => disk?.free());

function consistency(project: string): { integrity: string; rows: number; missingThumbs: string[]; tmp: string[] } {
  const db = new Database(path.join(project, 'holdout.db'));
  try {
    const integrity = (db.pragma('integrity_check', { simple: true }) as string) ?? '';
    const shas = (db.prepare('SELECT sha256 FROM images').all() as { sha256: string }[]).map((r) => r.sha256);
    const missingThumbs = shas.filter((sha) => !fs.existsSync(path.join(project, 'thumbs', sha.slice(0, 2), `${sha}.webp`)));
    return { integrity, rows: shas.length, missingThumbs, tmp: listAll(path.join(project, 'thumbs', '.tmp')) };
  } finally {
    db.close();
  }
}

describe.skipIf(!disk)('import onto a full disk', () => {
  let images: string;
  let project: string;
  beforeAll(async () => {
    images = await writeShapesDataset(path.join(tempDir(), 'shapes'), { perClass: PER_CLASS, size: 32 });
    project = path.join(disk!.dir, 'project');
    createProject(project, 'Full').close();
  });

  it('stops with a message that says the disk is full and where; what was imported is whole; freeing space lets it finish', async () => {
    // Room for a few thumbnails (tmpfs counts 4 KiB pages), far from all of them.
    disk!.fill(64 * 1024);
    const r = await sourceCli(['import', images, '--project', project]);
    const last = r.last as Record<string, any>;
    expect(r.code, r.stderr).toBe(1);
    expect(last, JSON.stringify(last)).toMatchObject({ event: 'import', status: 'failed' });
    expect(last.message).toMatch(/^The import stopped\. The disk is full: .+ could not be written to /);
    expect(last.message).toContain(project);
    expect(last.message).toMatch(/Free some space on that disk.*then import the same source again/);
    // The disk, not the pictures, was at fault: no file is listed as broken.
    expect(last.errors).toEqual([]);
    disk!.free();
    const after = consistency(project);
    expect(after).toMatchObject({ integrity: 'ok', rows: last.imported, missingThumbs: [], tmp: [] });
    expect(after.rows).toBeLessThan(TOTAL);

    const again = await sourceCli(['import', images, '--project', project]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.last).toMatchObject({ status: 'done', errors: [], imported: TOTAL - after.rows });
    expect(consistency(project)).toMatchObject({ integrity: 'ok', rows: TOTAL, missingThumbs: [], tmp: [] });
  });

  it('SQLite itself hitting the full disk (SQLITE_FULL) gives the same clear message, naming the database', async () => {
    // The same pictures under other paths: their thumbnails exist, so only the database grows.
    const copies = path.join(tempDir(), 'copies');
    fs.cpSync(images, copies, { recursive: true });
    // Room to open the project and record the import, not for the new rows.
    disk!.fill(48 * 1024);
    const r = await sourceCli(['import', copies, '--project', project]);
    const last = r.last as Record<string, any>;
    expect(r.code, r.stderr).toBe(1);
    expect(last.code ?? 'no code').not.toBe('internal');
    expect(last).toMatchObject({ event: 'import', status: 'failed' });
    expect(last.message).toMatch(/The disk is full: the imported images' records could not be written to .*holdout\.db\. Free some space/);
    disk!.free();
    expect(consistency(project)).toMatchObject({ integrity: 'ok', missingThumbs: [], tmp: [] });
    const again = await sourceCli(['import', copies, '--project', project]);
    expect(again.code, again.stderr).toBe(0);
    expect(consistency(project).rows).toBe(2 * TOTAL);
  });

  it('a label change on the full disk is refused with the disk-full message, not "internal", and changes nothing', async () => {
    const db = new Database(path.join(project, 'holdout.db'), { readonly: true });
    const paths = (db.prepare('SELECT path FROM images ORDER BY id').all() as { path: string }[]).map((r) => r.path);
    const before = db.prepare('SELECT id, class_id FROM images ORDER BY id').all();
    db.close();
    const csv = path.join(tempDir(), 'labels.csv');
    fs.writeFileSync(csv, `path,label\n${paths.map((p, i) => `${p},new-class-${i % 7}`).join('\n')}\n`);
    disk!.fill(0);
    const r = await sourceCli(['label', '--project', project, '--csv', csv, '--create-classes']);
    disk!.free();
    expect(r.code, r.stderr).toBe(1);
    expect(r.last).toMatchObject({ event: 'error', code: 'io_error' });
    expect(r.last.message).toMatch(/^The disk is full: .+\. Free some space on that disk.*then run the command again/);
    expect(r.stderr).toMatch(/holdout: The disk is full/);
    const check = new Database(path.join(project, 'holdout.db'), { readonly: true });
    expect(check.prepare('SELECT id, class_id FROM images ORDER BY id').all()).toEqual(before);
    check.close();
    expect(consistency(project).integrity).toBe('ok');
  });
});

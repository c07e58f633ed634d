// `holdout import` as scripts use it: real files, the real built command, its JSON lines.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-cli-import-');
let photos: string;

async function png(file: string, hue: number): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await sharp({ create: { width: 40, height: 30, channels: 3, background: `hsl(${hue}, 70%, 50%)` } })
    .png()
    .toFile(file);
}

beforeAll(async () => {
  photos = tempDir('photos');
  for (let i = 0; i < 4; i++) {
    await png(path.join(photos, 'ant', `a${i}.png`), i * 20);
    await png(path.join(photos, 'bee', 'hive 1', `b${i}.png`), 180 + i * 20);
  }
  fs.writeFileSync(path.join(photos, 'bee', 'empty.png'), '');
});

describe('holdout import', () => {
  it('creates the project, imports the folder and reports every bad file', async () => {
    const project = path.join(tempDir(), 'bugs');
    const r = await runCli(['import', photos, '--project', project]);
    expect(r.code).toBe(0);
    expect(r.lines.every((l) => typeof l.event === 'string')).toBe(true);
    for (const p of r.lines.filter((l) => l.event === 'progress')) {
      expect(Object.keys(p).sort()).toEqual(['done', 'errors', 'eta_seconds', 'event', 'import_id', 'imported', 'phase', 'rate', 'skipped', 'total']);
    }
    expect(r.last).toMatchObject({
      event: 'import',
      project,
      status: 'done',
      imported: 8,
      skipped_duplicates: 0,
      updated: 0,
      exact_duplicates: 0,
      errors: [{ path: path.join(photos, 'bee', 'empty.png'), reason: 'empty file (0 bytes)' }],
    });
    expect(typeof r.last.seconds).toBe('number');
    const info = await runCli(['info', '--project', project]);
    expect(info.last).toMatchObject({ images: 8, classes: [{ name: 'ant', count: 4 }, { name: 'bee', count: 4 }] });

    const again = await runCli(['import', photos, '--project', project]);
    expect(again.last).toMatchObject({ status: 'done', imported: 0, skipped_duplicates: 8 });
  });

  it('imports a CSV whose relative paths are resolved against the given folder', async () => {
    const csvDir = tempDir('csv');
    const csv = path.join(csvDir, 'labels.csv');
    fs.writeFileSync(csv, '\uFEFFpath,label,group\r\nant/a0.png,"insect, small",g1\r\nbee/hive 1/b0.png,bee,g2\r\nmissing.png,bee,g3\r\n');
    const project = path.join(tempDir(), 'from-csv');
    const r = await runCli(['import', photos, '--project', project, '--csv', csv]);
    expect(r.code).toBe(0);
    expect(r.last).toMatchObject({ event: 'import', imported: 2 });
    const errors = r.last.errors as { path: string; reason: string }[];
    expect(errors).toHaveLength(1);
    expect(errors[0]!.reason).toMatch(/row 4/);
    const info = await runCli(['info', '--project', project]);
    expect(info.last.classes).toEqual([
      { name: 'insect, small', count: 1 },
      { name: 'bee', count: 1 },
    ]);
  });

  it('fails with a message naming the folder when it does not exist, and creates nothing', async () => {
    const project = path.join(tempDir(), 'never');
    const missing = path.join(tempDir(), 'no-such-folder');
    const r = await runCli(['import', missing, '--project', project]);
    expect(r.code).toBe(1);
    expect(r.last.event).toBe('error');
    expect(String(r.last.message)).toContain(missing);
  });

  it('is a usage error without a folder or a project', async () => {
    expect((await runCli(['import', '--project', tempDir()])).code).toBe(2);
    const noProject = await runCli(['import', photos]);
    expect(noProject.code).toBe(2);
    expect(noProject.last.message).toMatch(/--project/);
  });
});

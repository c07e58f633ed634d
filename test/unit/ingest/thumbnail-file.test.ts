import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sweepTmp, ThumbnailWriter, thumbPathFor, TMP_DIR } from '../../../electron/engine/ingest/thumbnail-file.js';
import { createProject } from '../../../electron/engine/project/project.js';
import { tempDir } from '../../fixtures/images/make-images.js';

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const SHA = 'ab'.repeat(32);

describe('thumbnail files', () => {
  it('live where Project.thumbPath says (workers have no Project)', () => {
    const project = createProject(path.join(dir, 'p'));
    try {
      expect(thumbPathFor(project.thumbsDir, SHA)).toBe(project.thumbPath(SHA));
    } finally {
      project.close();
    }
  });

  it('appear only complete, through a temporary file and a rename', () => {
    const writer = new ThumbnailWriter(path.join(dir, 'thumbs'));
    expect(writer.exists(SHA)).toBe(false);
    writer.write(SHA, Buffer.from('webp bytes'));
    expect(writer.exists(SHA)).toBe(true);
    expect(fs.readFileSync(writer.fileFor(SHA), 'utf8')).toBe('webp bytes');
    expect(fs.readdirSync(path.join(dir, 'thumbs', TMP_DIR))).toEqual([]);
  });

  it('leave nothing behind when writing fails', () => {
    const thumbs = path.join(dir, 'thumbs');
    const writer = new ThumbnailWriter(thumbs);
    fs.mkdirSync(path.join(thumbs, SHA.slice(0, 2), `${SHA}.webp`), { recursive: true }); // a folder in the way
    expect(() => writer.write(SHA, Buffer.from('x'))).toThrow();
    expect(fs.readdirSync(path.join(thumbs, TMP_DIR))).toEqual([]);
  });

  it('sweeps this process’s leftovers, a dead process’s at once, and stale ones; not fresh ones of a live process', () => {
    const tmp = path.join(dir, 'thumbs', TMP_DIR);
    fs.mkdirSync(tmp, { recursive: true });
    const live = process.ppid; // the process that started this test: alive throughout
    const dead = spawnSync(process.execPath, ['-e', '']).pid!; // ran and exited
    fs.writeFileSync(path.join(tmp, `${process.pid}-1-0.webp`), '');
    fs.writeFileSync(path.join(tmp, `${live}-1-0.webp`), '');
    fs.writeFileSync(path.join(tmp, `${dead}-1-0.webp`), '');
    fs.writeFileSync(path.join(tmp, `${live}-2-0.webp`), '');
    const old = new Date(Date.now() - 3_600_000);
    fs.utimesSync(path.join(tmp, `${live}-2-0.webp`), old, old);
    expect(sweepTmp(path.join(dir, 'thumbs'))).toBe(3);
    expect(fs.readdirSync(tmp)).toEqual([`${live}-1-0.webp`]);
  });
});

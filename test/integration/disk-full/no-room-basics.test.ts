// The two lowest layers of "no room to write", on a real full disk (a small tmpfs): an
// atomic file write that fails leaves no temporary file beside its target and the old
// content whole, and a SQLite write that cannot grow the database reaches the API as an
// io_error that says the disk is full (not "internal"), with the change not made.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { toApiError } from '../../../electron/api/errors.js';
import { createProject, openProject } from '../../../electron/engine/project/project.js';
import { writeFileAtomic } from '../../../electron/engine/util/atomic-write.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { mountSmallDisk, type SmallDisk } from './small-disk.js';

const tempDir = tempDirFactory('holdout-no-room-');
const mounted = process.env.HOLDOUT_TEST_NO_MOUNT ? { unavailable: 'HOLDOUT_TEST_NO_MOUNT is set' } : mountSmallDisk(tempDir(), 512);
const disk: SmallDisk | null = 'unavailable' in mounted ? null : mounted;
if (!disk) console.log(`no-room-basics: skipped, ${'unavailable' in mounted ? mounted.unavailable : ''} (needs root to mount a tmpfs)`);
afterAll(() => disk?.unmount());

describe.skipIf(!disk)('on a full disk', () => {
  it('opening a project whose disk is full says so (not "disk I/O error"), and the project is whole once there is room', () => {
    const dir = path.join(disk!.dir, 'project');
    createProject(dir).close();
    disk!.fill(0);
    try {
      let caught: unknown;
      try {
        openProject(dir).close();
      } catch (err) {
        caught = err;
      }
      expect(caught, 'opened on a full disk').toBeDefined();
      expect((caught as { code?: string }).code).toBe('io_error');
      expect((caught as Error).message).toMatch(/^The disk is full: .* could not be written to .*project\. Free some space/);
    } finally {
      disk!.free();
    }
    const project = openProject(dir);
    expect(project.db.pragma('integrity_check', { simple: true })).toBe('ok');
    project.close();
  });

  it('an atomic write that does not fit keeps the old file and leaves no temporary file', () => {
    const file = path.join(disk!.dir, 'settings.json');
    writeFileAtomic(file, '{"old":true}');
    disk!.fill(0);
    try {
      expect(() => writeFileAtomic(file, 'x'.repeat(256 * 1024))).toThrow(expect.objectContaining({ code: 'ENOSPC' }));
      expect(fs.readFileSync(file, 'utf8')).toBe('{"old":true}');
      expect(fs.readdirSync(disk!.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      disk!.free();
    }
  });

  it('SQLITE_FULL becomes an io_error saying the disk is full, and the row is not written', () => {
    const db = new Database(path.join(disk!.dir, 'full.db'));
    try {
      db.exec('CREATE TABLE t (v BLOB)');
      disk!.fill(0);
      let caught: unknown;
      try {
        db.transaction(() => {
          for (let i = 0; i < 64; i++) db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(64 * 1024, i));
        })();
      } catch (err) {
        caught = err;
      }
      expect((caught as { code?: string } | undefined)?.code).toBe('SQLITE_FULL');
      const api = toApiError(caught);
      expect(api.code).toBe('io_error');
      expect(api.message).toMatch(/^The disk is full \(SQLITE_FULL\): the change could not be saved\. Free some space/);
      disk!.free();
      expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(0);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
      disk!.free();
    }
  });
});

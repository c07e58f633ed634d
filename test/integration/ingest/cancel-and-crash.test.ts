// Stopping an import (AbortSignal) and killing the process mid-import both leave a
// consistent project: complete rows with thumbnails, nothing half-written, and a
// re-import that adds exactly the rest.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startImport } from '../../../electron/engine/ingest/start-import.js';
import { openProject } from '../../../electron/engine/project/project.js';
import { tempDir, writePicture } from '../../fixtures/images/make-images.js';
import { spawnImport } from './helpers/child.js';
import { checkRowsComplete, importInto, newProject, removeProject, tmpLeftovers } from './helpers/project.js';

const COUNT = 240;
let photos: string;

beforeAll(async () => {
  photos = tempDir('holdout-many-');
  for (let i = 0; i < COUNT; i++) {
    await writePicture(path.join(photos, `class${i % 4}`, `${String(i).padStart(3, '0')}.png`), 'png', {
      width: 160,
      height: 120,
      seed: i + 1,
    });
  }
});
afterAll(() => fs.rmSync(photos, { recursive: true, force: true }));

describe('cancel', () => {
  it('stops at once, keeps complete rows, and a re-import adds the rest', async () => {
    const project = newProject();
    try {
      const controller = new AbortController();
      const running = startImport(project, { source: { kind: 'folder', folder: photos }, workers: 1, signal: controller.signal });
      // Stop right after the first batch is committed, with files still in flight.
      const watch = setInterval(() => {
        if (project.images.count() > 0) controller.abort();
      }, 2);
      const summary = await running.done;
      clearInterval(watch);
      expect(summary.status).toBe('cancelled');
      expect(summary.message).toMatch(/^stopped: /);
      expect(summary.imported).toBeLessThan(COUNT);
      expect(project.images.count()).toBe(summary.imported);
      expect(project.db.prepare('SELECT status, imported FROM imports WHERE id = ?').get(summary.importId)).toEqual({
        status: 'cancelled',
        imported: summary.imported,
      });
      expect(checkRowsComplete(project)).toEqual([]);
      expect(tmpLeftovers(project)).toEqual([]);

      const rest = await importInto(project, { kind: 'folder', folder: photos });
      expect(rest).toMatchObject({ status: 'done', imported: COUNT - summary.imported });
      expect(project.images.count()).toBe(COUNT);
    } finally {
      removeProject(project);
    }
  });

  it('is cancelled before it starts when the signal already fired', async () => {
    const project = newProject();
    try {
      const summary = await importInto(project, { kind: 'folder', folder: photos }, { signal: AbortSignal.abort() });
      expect(summary).toMatchObject({ status: 'cancelled', imported: 0 });
    } finally {
      removeProject(project);
    }
  });
});

describe('crash', () => {
  it('a process killed mid-import leaves a sound database whose every row has its thumbnail', async () => {
    const project = newProject();
    const dir = project.dir;
    project.close();
    // Watch the database from outside and kill the importer right after its first
    // commit: workers are mid-file and the next batch is being gathered.
    const { child, finished } = spawnImport(dir, photos);
    const dbFile = path.join(dir, 'holdout.db');
    let killedAt = -1;
    while (killedAt < 0 && child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (!fs.existsSync(dbFile)) continue;
      const reader = new Database(dbFile, { readonly: true, fileMustExist: true });
      try {
        const n = (reader.prepare('SELECT count(*) AS n FROM images').get() as { n: number } | undefined)?.n ?? 0;
        if (n > 0) {
          child.kill('SIGKILL');
          killedAt = n;
        }
      } catch {
        // The schema is not there yet.
      } finally {
        reader.close();
      }
    }
    expect(await finished).toBeNull(); // no summary: it died
    expect(killedAt).toBeGreaterThan(0);

    const reopened = openProject(dir); // marks the interrupted import as failed
    try {
      expect(reopened.db.pragma('integrity_check', { simple: true })).toBe('ok');
      const count = reopened.images.count();
      expect(count).toBeGreaterThanOrEqual(killedAt);
      expect(count).toBeLessThan(COUNT);
      expect(checkRowsComplete(reopened)).toEqual([]);
      expect(reopened.db.prepare('SELECT status FROM imports').pluck().all()).toEqual(['failed']);

      const rest = await importInto(reopened, { kind: 'folder', folder: photos });
      expect(rest).toMatchObject({ status: 'done', imported: COUNT - count });
    } finally {
      removeProject(reopened);
    }
  });
});

// Upgrading an older project: a backup copy first, then the whole upgrade in one
// transaction; a failure leaves the old version and the backup; a newer project is
// refused and left byte-for-byte as it was.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../electron/api/errors.js';
import { LOCK_FILE } from '../../../electron/engine/project/project-lock.js';
import { openProject } from '../../../electron/engine/project/project.js';
import { openDatabase, schemaVersion } from '../../../electron/engine/store/database.js';
import { LATEST_SCHEMA_VERSION, migrations, type Migration } from '../../../electron/engine/store/migrations.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-migrate-');
const OLD = 3;

/** A project folder whose database was made by the Holdout of schema 3, with a class and a label in it. */
function oldProject(): { dir: string; file: string } {
  const dir = tempDir();
  const file = path.join(dir, 'holdout.db');
  const db = openDatabase(file, { targetVersion: OLD });
  db.prepare(`INSERT INTO meta (key, value) VALUES ('name', 'old one'), ('created_at', '2025-01-01T00:00:00Z')`).run();
  db.prepare(`INSERT INTO classes (name) VALUES ('cat')`).run();
  db.close();
  return { dir, file };
}

function backups(dir: string): string[] {
  const b = path.join(dir, 'backups');
  return fs.existsSync(b) ? fs.readdirSync(b).map((f) => path.join(b, f)) : [];
}

function versionOf(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

describe('schema upgrade', () => {
  it('copies the old database to backups/ and then upgrades the project', () => {
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThan(OLD);
    const { dir } = oldProject();
    const project = openProject(dir, { lock: 'desktop' });
    expect(project.summary()).toMatchObject({ name: 'old one', schemaVersion: LATEST_SCHEMA_VERSION, classCount: 1 });
    project.close();
    const [backup, ...more] = backups(dir);
    expect(more).toEqual([]);
    expect(path.basename(backup!)).toMatch(new RegExp(`^holdout-v${OLD}-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d-\\d{3}Z\\.db$`));
    expect(versionOf(backup!)).toBe(OLD);
    const copy = new Database(backup!, { readonly: true });
    expect(copy.prepare('SELECT name FROM classes').pluck().all()).toEqual(['cat']);
    copy.close();
    // Opening the upgraded project again takes no further backup.
    openProject(dir).close();
    expect(backups(dir)).toHaveLength(1);
  });

  it('rolls the whole upgrade back when a step fails, keeping the backup', () => {
    const { file, dir } = oldProject();
    const bad: Migration = {
      version: LATEST_SCHEMA_VERSION + 1,
      name: 'fails half-way',
      up: (db) => {
        db.exec('CREATE TABLE half_done (x INTEGER)');
        throw new Error('disk said no');
      },
    };
    expect(() => openDatabase(file, { migrationList: [...migrations, bad] })).toThrow('disk said no');
    // Not one of the steps before the failing one stays: the project is at the old version, whole.
    expect(versionOf(file)).toBe(OLD);
    const db = new Database(file, { readonly: true });
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();
    db.close();
    expect(tables).not.toContain('half_done');
    expect(tables).not.toContain('runs'); // made by migration 4, rolled back with the rest
    expect(backups(dir)).toHaveLength(1);
    expect(versionOf(backups(dir)[0]!)).toBe(OLD);
    // And it still opens and upgrades with the real migrations.
    const fixed = openDatabase(file);
    expect(schemaVersion(fixed)).toBe(LATEST_SCHEMA_VERSION);
    fixed.close();
  });

  it('refuses a project from a newer Holdout, leaving it untouched', () => {
    const { dir, file } = oldProject();
    const raw = new Database(file);
    raw.pragma('journal_mode = DELETE');
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();
    const before = fs.readFileSync(file);
    const listing = fs.readdirSync(dir).sort();
    let error: unknown;
    try {
      openProject(dir, { lock: 'desktop' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('conflict');
    expect((error as ApiError).message).toMatch(/newer version of Holdout.*not changed/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual(listing); // no backups/, no thumbs/, no lock left behind
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });
});

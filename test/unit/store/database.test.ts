import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion, SchemaTooNewError } from '../../../electron/engine/store/database.js';
import { LATEST_SCHEMA_VERSION, type Migration } from '../../../electron/engine/store/migrations.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-db-');

describe('openDatabase', () => {
  it('creates a new database at the latest schema with WAL and foreign keys', () => {
    const file = path.join(tempDir(), 'holdout.db');
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type='table' ORDER BY name`).pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['classes', 'images', 'imports', 'import_errors', 'meta']));
    db.close();
  });

  it('is idempotent: reopening does not re-run migrations', () => {
    const file = path.join(tempDir(), 'holdout.db');
    openDatabase(file).close();
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });

  it('upgrades an older database step by step, each in its own transaction', () => {
    const file = path.join(tempDir(), 'holdout.db');
    const list: Migration[] = [
      { version: 1, name: 'a', up: (db) => db.exec('CREATE TABLE a (x INTEGER)') },
      { version: 2, name: 'b', up: (db) => db.exec('CREATE TABLE b (y INTEGER)') },
    ];
    openDatabase(file, { migrationList: list, targetVersion: 1 }).close();
    const db = openDatabase(file, { migrationList: list });
    expect(schemaVersion(db)).toBe(2);
    expect(db.prepare(`SELECT count(*) FROM sqlite_master WHERE name IN ('a','b')`).pluck().get()).toBe(2);
    db.close();
  });

  it('rolls back a failing migration and keeps the previous version', () => {
    const file = path.join(tempDir(), 'holdout.db');
    const good: Migration = { version: 1, name: 'a', up: (db) => db.exec('CREATE TABLE a (x INTEGER)') };
    const bad: Migration = {
      version: 2,
      name: 'bad',
      up: (db) => {
        db.exec('CREATE TABLE half (z INTEGER)');
        throw new Error('boom');
      },
    };
    openDatabase(file, { migrationList: [good] }).close();
    expect(() => openDatabase(file, { migrationList: [good, bad] })).toThrow('boom');
    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(1);
    expect(raw.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'half'`).pluck().get()).toBe(0);
    raw.close();
  });

  it('refuses a database from a newer version and leaves it untouched', () => {
    const file = path.join(tempDir(), 'holdout.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    raw.close();
    const before = fs.readFileSync(file);
    expect(() => openDatabase(file)).toThrow(SchemaTooNewError);
    expect(() => openDatabase(file)).toThrow(/newer version of Holdout/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('enforces the image row constraints (no half-written rows)', () => {
    const db = openDatabase(path.join(tempDir(), 'holdout.db'));
    const insert = db.prepare(
      `INSERT INTO images (path, path_bytes, rel_path, sha256, phash, width, height, bytes, format, mtime_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const sha = 'a'.repeat(64);
    expect(() => insert.run('/x.png', Buffer.from('/x.png'), 'x.png', 'short', '0'.repeat(16), 1, 1, 1, 'png', 0)).toThrow(/CHECK/);
    expect(() => insert.run('/x.png', Buffer.from('/x.png'), 'x.png', sha, '0'.repeat(16), 0, 1, 1, 'png', 0)).toThrow(/CHECK/);
    insert.run('/x.png', Buffer.from('/x.png'), 'x.png', sha, '0'.repeat(16), 1, 1, 1, 'png', 0);
    expect(() => insert.run('/x.png', Buffer.from('/x.png'), 'x.png', sha, '0'.repeat(16), 1, 1, 1, 'png', 0)).toThrow(/UNIQUE/);
    db.close();
  });
});

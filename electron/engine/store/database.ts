// Opens a project's SQLite database with the settings every connection needs, and
// brings its schema up to date (after a backup copy in backups/, in one transaction).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { LATEST_SCHEMA_VERSION, migrations, type Migration } from './migrations.js';

export class SchemaTooNewError extends Error {
  constructor(
    readonly file: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `${file} was written by a newer version of Holdout (schema ${found}; this version understands up to ${supported}). ` +
        'Update Holdout to open it; the project was not changed.',
    );
    this.name = 'SchemaTooNewError';
  }
}

/** An older schema met a read-only connection, which cannot upgrade it. */
export class SchemaNeedsUpgradeError extends Error {
  constructor(
    readonly file: string,
    readonly found: number,
    readonly target: number,
  ) {
    super(`${file} needs an upgrade (schema ${found} to ${target}) but is open read-only`);
    this.name = 'SchemaNeedsUpgradeError';
  }
}

/** Where the copy taken before an upgrade goes: <project>/backups/holdout-v3-2026-11-28T01-05-00-000Z.db */
export function upgradeBackupFile(file: string, version: number, now = new Date()): string {
  // No ':' in the name: Windows and many USB sticks refuse it.
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return path.join(path.dirname(file), 'backups', `holdout-v${version}-${stamp}.db`);
}

export interface OpenOptions {
  readonly?: boolean;
  /** For tests of the upgrade path: stop at this version. */
  targetVersion?: number;
  migrationList?: Migration[];
}

export function openDatabase(file: string, options: OpenOptions = {}): Database.Database {
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: false });
  try {
    db.pragma('busy_timeout = 5000');
    // Check before anything writes: a project from a newer Holdout must stay byte-for-byte untouched.
    refuseNewer(db, file, options);
    if (!options.readonly) {
      // WAL: readers never block the writer, and a crash never corrupts committed data.
      db.pragma('journal_mode = WAL');
      // NORMAL is durable across application crashes in WAL mode; only a power loss may
      // lose the last transactions, never corrupt the file.
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    migrate(db, file, options);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function latestOf(options: OpenOptions): number {
  return options.migrationList ? options.migrationList[options.migrationList.length - 1]?.version ?? 0 : LATEST_SCHEMA_VERSION;
}

function refuseNewer(db: Database.Database, file: string, options: OpenOptions): void {
  const current = schemaVersion(db);
  if (current > latestOf(options)) throw new SchemaTooNewError(file, current, latestOf(options));
}

function migrate(db: Database.Database, file: string, options: OpenOptions): void {
  const list = options.migrationList ?? migrations;
  const target = options.targetVersion ?? latestOf(options);
  const current = schemaVersion(db);
  if (current >= target) return;
  if (options.readonly) throw new SchemaNeedsUpgradeError(file, current, target);
  // A database with data (not one being created) is copied first, whole and consistent,
  // so an upgrade that goes wrong in a way no transaction catches (a bug in a migration
  // that commits bad data) can still be undone by hand. VACUUM INTO cannot run inside
  // a transaction, and it reads committed data only.
  if (current > 0) {
    const backup = upgradeBackupFile(file, current);
    fs.mkdirSync(path.dirname(backup), { recursive: true });
    db.prepare('VACUUM INTO ?').run(backup);
  }
  // One transaction for the whole upgrade: a failure at any step leaves the previous
  // version exactly as it was, never a half-upgraded schema.
  db.transaction(() => {
    for (const m of list) {
      if (m.version <= current || m.version > target) continue;
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
}

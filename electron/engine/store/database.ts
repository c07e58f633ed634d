// Opens a project's SQLite database with the settings every connection needs, and
// brings its schema up to date.
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
  if (options.readonly) {
    throw new Error(`${file} needs an upgrade (schema ${current} to ${target}) but is open read-only`);
  }
  for (const m of list) {
    if (m.version <= current || m.version > target) continue;
    // One transaction per migration: the version moves only with its changes.
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}

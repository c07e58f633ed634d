// Versioned schema migrations. The database's PRAGMA user_version is the number of the
// last migration applied. Each migration runs inside one transaction with the version
// bump, so a crash mid-upgrade leaves the previous version intact. Never edit a
// migration that has shipped: add a new one.
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'projects, classes, images, imports',
    up(db) {
      db.exec(`
        CREATE TABLE meta (
          key   TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) STRICT;

        CREATE TABLE classes (
          id         INTEGER PRIMARY KEY,
          name       TEXT NOT NULL UNIQUE,
          position   INTEGER NOT NULL DEFAULT 0,
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
        ) STRICT;

        CREATE TABLE imports (
          id          INTEGER PRIMARY KEY,
          kind        TEXT NOT NULL CHECK (kind IN ('folder','csv')),
          source      TEXT NOT NULL,
          status      TEXT NOT NULL CHECK (status IN ('running','done','cancelled','failed')),
          started_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          finished_at TEXT,
          imported    INTEGER NOT NULL DEFAULT 0,
          skipped     INTEGER NOT NULL DEFAULT 0,
          updated     INTEGER NOT NULL DEFAULT 0,
          error_count INTEGER NOT NULL DEFAULT 0,
          message     TEXT
        ) STRICT;

        -- An image is a reference to an original file, never a copy. path_bytes holds the
        -- exact bytes of the absolute path (file names need not be valid UTF-8); path is
        -- its readable form for display.
        CREATE TABLE images (
          id             INTEGER PRIMARY KEY,
          path           TEXT NOT NULL,
          path_bytes     BLOB NOT NULL UNIQUE,
          rel_path       TEXT NOT NULL,
          import_id      INTEGER REFERENCES imports(id) ON DELETE SET NULL,
          sha256         TEXT NOT NULL CHECK (length(sha256) = 64),
          phash          TEXT NOT NULL CHECK (length(phash) = 16),
          width          INTEGER NOT NULL CHECK (width > 0),
          height         INTEGER NOT NULL CHECK (height > 0),
          bytes          INTEGER NOT NULL CHECK (bytes > 0),
          format         TEXT NOT NULL,
          captured_at    TEXT,
          mtime_ms       REAL NOT NULL,
          class_id       INTEGER REFERENCES classes(id) ON DELETE SET NULL,
          group_name     TEXT,
          status         TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok','excluded')),
          exclude_reason TEXT,
          added_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
        ) STRICT;
        CREATE INDEX images_class ON images(class_id, id);
        CREATE INDEX images_status ON images(status, id);
        CREATE INDEX images_sha256 ON images(sha256);

        CREATE TABLE import_errors (
          id        INTEGER PRIMARY KEY,
          import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
          path      TEXT NOT NULL,
          reason    TEXT NOT NULL
        ) STRICT;
        CREATE INDEX import_errors_import ON import_errors(import_id);
      `);
    },
  },
];

export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1]!.version;

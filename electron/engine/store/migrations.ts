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
  {
    version: 2,
    name: 'label history, quiz, near-duplicate index version',
    up(db) {
      db.exec(`
        -- Every labeling action (assign, exclude, class create/rename/merge/delete, CSV)
        -- with the state before and after of each image and class it touched, so undo and
        -- redo survive a restart. The undone actions are always the newest ones: a new
        -- action deletes them (the redo branch). AUTOINCREMENT: ids are never reused, so
        -- the order of actions is the order of their ids.
        CREATE TABLE label_actions (
          id         INTEGER PRIMARY KEY AUTOINCREMENT,
          kind       TEXT NOT NULL,
          summary    TEXT NOT NULL,
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          undone     INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0,1))
        ) STRICT;
        CREATE INDEX label_actions_undone ON label_actions(undone, id);

        -- No foreign keys to images or classes: history must outlive a deleted class (undo
        -- brings it back), and undo of a change to an image that no longer exists is a no-op.
        CREATE TABLE label_image_changes (
          action_id       INTEGER NOT NULL REFERENCES label_actions(id) ON DELETE CASCADE,
          image_id        INTEGER NOT NULL,
          before_class_id INTEGER,
          after_class_id  INTEGER,
          before_status   TEXT NOT NULL CHECK (before_status IN ('ok','excluded')),
          after_status    TEXT NOT NULL CHECK (after_status IN ('ok','excluded')),
          before_reason   TEXT,
          after_reason    TEXT,
          PRIMARY KEY (action_id, image_id)
        ) STRICT, WITHOUT ROWID;

        -- A NULL name on one side means the class did not exist on that side.
        CREATE TABLE label_class_changes (
          action_id       INTEGER NOT NULL REFERENCES label_actions(id) ON DELETE CASCADE,
          class_id        INTEGER NOT NULL,
          before_name     TEXT,
          before_position INTEGER,
          after_name      TEXT,
          after_position  INTEGER,
          PRIMARY KEY (action_id, class_id)
        ) STRICT, WITHOUT ROWID;

        -- "Try it yourself": the images drawn, the label each had when drawn (name kept too,
        -- so a result still reads right after the class is renamed or deleted), the answer.
        CREATE TABLE quiz_sessions (
          id          INTEGER PRIMARY KEY AUTOINCREMENT,
          seed        INTEGER NOT NULL,
          size        INTEGER NOT NULL,
          created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          finished_at TEXT
        ) STRICT;
        CREATE TABLE quiz_items (
          session_id        INTEGER NOT NULL REFERENCES quiz_sessions(id) ON DELETE CASCADE,
          position          INTEGER NOT NULL,
          image_id          INTEGER NOT NULL,
          true_class_id     INTEGER NOT NULL,
          true_class_name   TEXT NOT NULL,
          answer            TEXT CHECK (answer IN ('class','not_sure')),
          answer_class_id   INTEGER,
          answer_class_name TEXT,
          answered_at       TEXT,
          PRIMARY KEY (session_id, position)
        ) STRICT, WITHOUT ROWID;

        -- Bumped whenever the set of perceptual hashes changes, so the in-memory
        -- near-duplicate index knows when it is stale without re-reading 100,000 rows.
        CREATE TABLE phash_version (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          n  INTEGER NOT NULL
        ) STRICT;
        INSERT INTO phash_version (id, n) VALUES (1, 0);
        CREATE TRIGGER images_phash_inserted AFTER INSERT ON images
          BEGIN UPDATE phash_version SET n = n + 1 WHERE id = 1; END;
        CREATE TRIGGER images_phash_updated AFTER UPDATE OF phash ON images WHEN OLD.phash IS NOT NEW.phash
          BEGIN UPDATE phash_version SET n = n + 1 WHERE id = 1; END;
        CREATE TRIGGER images_phash_deleted AFTER DELETE ON images
          BEGIN UPDATE phash_version SET n = n + 1 WHERE id = 1; END;
      `);
    },
  },
  {
    version: 3,
    name: 'split versions, assignments, test lockbox ledger',
    up(db) {
      db.exec(`
        -- A saved split never changes: a version row and its assignments are written once,
        -- in one transaction (assignments only to the newest version), and triggers refuse
        -- any later change or deletion. A new split, or new images placed later, is a new
        -- version; the current split is the newest. Runs record the version they used.
        -- test_fingerprint is a hash of the sorted test image ids: two versions with one
        -- test set share it, so the lockbox counts uses of the test set, not of a version.
        CREATE TABLE split_versions (
          id               INTEGER PRIMARY KEY AUTOINCREMENT,
          parent_id        INTEGER REFERENCES split_versions(id),
          seed             INTEGER NOT NULL,
          train_pct        REAL NOT NULL CHECK (train_pct > 0 AND train_pct <= 100),
          validation_pct   REAL NOT NULL CHECK (validation_pct >= 0 AND validation_pct <= 100),
          test_pct         REAL NOT NULL CHECK (test_pct >= 0 AND test_pct <= 100),
          grouping         TEXT NOT NULL,
          threshold        INTEGER NOT NULL,
          allow_test       INTEGER NOT NULL DEFAULT 0 CHECK (allow_test IN (0,1)),
          image_count      INTEGER NOT NULL,
          test_fingerprint TEXT NOT NULL,
          report           TEXT NOT NULL,
          created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          CHECK (abs(train_pct + validation_pct + test_pct - 100) < 1e-6)
        ) STRICT;

        -- No foreign key to images: a split's history outlives any image.
        CREATE TABLE split_assignments (
          version_id INTEGER NOT NULL REFERENCES split_versions(id),
          image_id   INTEGER NOT NULL,
          split      TEXT NOT NULL CHECK (split IN ('train','validation','test')),
          PRIMARY KEY (version_id, image_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX split_assignments_split ON split_assignments(version_id, split, image_id);

        CREATE TRIGGER split_versions_no_update BEFORE UPDATE ON split_versions
          BEGIN SELECT RAISE(ABORT, 'a saved split cannot be changed: save a new version'); END;
        CREATE TRIGGER split_versions_no_delete BEFORE DELETE ON split_versions
          BEGIN SELECT RAISE(ABORT, 'a saved split cannot be deleted'); END;
        CREATE TRIGGER split_assignments_newest_only BEFORE INSERT ON split_assignments
          WHEN NEW.version_id IS NOT (SELECT max(id) FROM split_versions)
          BEGIN SELECT RAISE(ABORT, 'images can only be added to the split version being saved'); END;
        CREATE TRIGGER split_assignments_no_update BEFORE UPDATE ON split_assignments
          BEGIN SELECT RAISE(ABORT, 'a saved split cannot be changed: save a new version'); END;
        CREATE TRIGGER split_assignments_no_delete BEFORE DELETE ON split_assignments
          BEGIN SELECT RAISE(ABORT, 'a saved split cannot be changed: save a new version'); END;

        -- The test lockbox's ledger: a row each time a test set is opened for an evaluation
        -- (which split, which model, when), written before any test image is released; the
        -- result is added once, later. use_number counts the uses of one test set (1 = the
        -- first). run_id will reference runs once they exist. Rows are never deleted.
        CREATE TABLE test_evaluations (
          id               INTEGER PRIMARY KEY AUTOINCREMENT,
          split_version_id INTEGER NOT NULL REFERENCES split_versions(id),
          test_fingerprint TEXT NOT NULL,
          use_number       INTEGER NOT NULL CHECK (use_number >= 1),
          run_id           INTEGER,
          model            TEXT NOT NULL,
          test_images      INTEGER NOT NULL,
          created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          result           TEXT,
          result_at        TEXT,
          UNIQUE (test_fingerprint, use_number)
        ) STRICT;
        CREATE INDEX test_evaluations_version ON test_evaluations(split_version_id, id);
        CREATE TRIGGER test_evaluations_result_once BEFORE UPDATE ON test_evaluations
          WHEN OLD.result IS NOT NULL OR NEW.result IS NULL
            OR NEW.split_version_id IS NOT OLD.split_version_id OR NEW.test_fingerprint IS NOT OLD.test_fingerprint
            OR NEW.use_number IS NOT OLD.use_number OR NEW.run_id IS NOT OLD.run_id OR NEW.model IS NOT OLD.model
            OR NEW.test_images IS NOT OLD.test_images OR NEW.created_at IS NOT OLD.created_at
          BEGIN SELECT RAISE(ABORT, 'a test evaluation is recorded once and never changed'); END;
        CREATE TRIGGER test_evaluations_no_delete BEFORE DELETE ON test_evaluations
          BEGIN SELECT RAISE(ABORT, 'the test ledger keeps every evaluation'); END;
      `);
    },
  },
  {
    version: 4,
    name: 'training runs',
    up(db) {
      db.exec(`
        -- One row per training run: its full configuration (JSON), the split version it saw,
        -- where it ran and how it ended. AUTOINCREMENT: a run's checkpoints live in
        -- checkpoints/<id>/, so an id is never reused by a later run, which would otherwise
        -- find a deleted run's leftover files in its folder. An ensemble is a run whose
        -- members are runs of kind 'member' pointing at it; deleting it deletes them.
        -- pid is the worker process while the run is 'running' or 'stopping': a row in
        -- those states whose process is gone was interrupted (a crash, the app closed).
        CREATE TABLE runs (
          id                INTEGER PRIMARY KEY AUTOINCREMENT,
          name              TEXT NOT NULL CHECK (length(trim(name)) > 0),
          kind              TEXT NOT NULL DEFAULT 'single' CHECK (kind IN ('single','ensemble','member')),
          parent_run_id     INTEGER REFERENCES runs(id) ON DELETE CASCADE,
          split_version_id  INTEGER NOT NULL REFERENCES split_versions(id),
          config            TEXT NOT NULL CHECK (json_valid(config)),
          model_kind        TEXT,
          status            TEXT NOT NULL DEFAULT 'queued'
                              CHECK (status IN ('queued','running','stopping','stopped','completed','failed','interrupted')),
          backend           TEXT,
          backend_detail    TEXT CHECK (backend_detail IS NULL OR json_valid(backend_detail)),
          pid               INTEGER,
          created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          started_at        TEXT,
          finished_at       TEXT,
          seconds           REAL CHECK (seconds IS NULL OR seconds >= 0),
          epochs_run        INTEGER NOT NULL DEFAULT 0 CHECK (epochs_run >= 0),
          best_epoch        INTEGER,
          best_val_loss     REAL,
          best_val_accuracy REAL,
          stopped_early     INTEGER NOT NULL DEFAULT 0 CHECK (stopped_early IN (0,1)),
          stop_reason       TEXT,
          error             TEXT,
          notes             TEXT,
          CHECK ((kind = 'member') = (parent_run_id IS NOT NULL))
        ) STRICT;
        CREATE INDEX runs_parent ON runs(parent_run_id);
        CREATE INDEX runs_status ON runs(status);

        -- Per-epoch metrics. A resumed run may re-run an epoch: the row is replaced. The
        -- validation columns are NULL in an epoch that was not validated; a loss that was
        -- not a number (a run stopped on NaN) is stored as NULL too (SQLite has no NaN).
        CREATE TABLE run_epochs (
          run_id            INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          epoch             INTEGER NOT NULL CHECK (epoch >= 0),
          train_loss        REAL,
          train_accuracy    REAL,
          val_loss          REAL,
          val_accuracy      REAL,
          learning_rate     REAL,
          seconds           REAL,
          images_per_second REAL,
          PRIMARY KEY (run_id, epoch)
        ) STRICT, WITHOUT ROWID;

        -- Per-batch loss and accuracy, for the dashboard's smoothed curve.
        CREATE TABLE run_batches (
          run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          epoch    INTEGER NOT NULL CHECK (epoch >= 0),
          batch    INTEGER NOT NULL CHECK (batch >= 0),
          loss     REAL,
          accuracy REAL,
          PRIMARY KEY (run_id, epoch, batch)
        ) STRICT, WITHOUT ROWID;

        -- The run's best and last checkpoints (one row of each kind at most; both may name
        -- the same folder). path is relative to the project folder, so a project can move;
        -- bytes is the checkpoint's total size, sha256 that of its weights file.
        CREATE TABLE checkpoints (
          id           INTEGER PRIMARY KEY,
          run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          epoch        INTEGER NOT NULL CHECK (epoch >= 0),
          kind         TEXT NOT NULL CHECK (kind IN ('best','last')),
          path         TEXT NOT NULL,
          val_loss     REAL,
          val_accuracy REAL,
          bytes        INTEGER NOT NULL CHECK (bytes > 0),
          sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
          created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          UNIQUE (run_id, kind)
        ) STRICT;
      `);
    },
  },
  {
    version: 5,
    name: 'saved evaluations',
    up(db) {
      db.exec(`
        -- A run's note lives in runs.notes (migration 4); NULL and '' both mean none.

        -- Every evaluation of a run, saved so a reopened window shows it again without
        -- spending another use of the test set. The numbers a list needs are columns; the
        -- rest of the result (per-class metrics, confusion matrix, skipped counts, the
        -- person's quiz accuracy, …) is one JSON document. created_at is when the images
        -- were read, so a label changed during the evaluation counts as changed after it.
        -- A test evaluation names its ledger row; the ledger has no foreign key to runs,
        -- so its rows (the uses of the test set) outlive a deleted run and its evaluations.
        CREATE TABLE evaluations (
          id               INTEGER PRIMARY KEY AUTOINCREMENT,
          run_id           INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          split            TEXT NOT NULL CHECK (split IN ('validation','test')),
          split_version_id INTEGER NOT NULL REFERENCES split_versions(id),
          created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          checkpoint_epoch INTEGER NOT NULL CHECK (checkpoint_epoch >= 0),
          evaluated        INTEGER NOT NULL CHECK (evaluated >= 0),
          accuracy         REAL NOT NULL,
          macro_f1         REAL,
          test_uses        INTEGER CHECK (test_uses IS NULL OR test_uses >= 1),
          reuse_mark       TEXT,
          ledger_entry_id  INTEGER REFERENCES test_evaluations(id),
          summary_json     TEXT NOT NULL CHECK (json_valid(summary_json)),
          CHECK ((split = 'test') = (test_uses IS NOT NULL))
        ) STRICT;
        CREATE INDEX evaluations_run ON evaluations(run_id, id);

        -- One row per evaluated image: its label when evaluated (the class name, so the
        -- row still reads right after a rename), what the model said and how sure it was.
        -- No foreign key to images, like the label history. The index answers a
        -- confusion-matrix cell, surest first, without sorting.
        CREATE TABLE evaluation_images (
          evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
          image_id      INTEGER NOT NULL,
          actual        TEXT NOT NULL,
          predicted     TEXT NOT NULL,
          confidence    REAL NOT NULL,
          PRIMARY KEY (evaluation_id, image_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX evaluation_images_cell ON evaluation_images(evaluation_id, actual, predicted, confidence DESC, image_id);
      `);
    },
  },
  {
    version: 6,
    name: 'suggested labels',
    up(db) {
      db.exec(`
        -- A label a model suggested for an image added from the Predict screen: never the
        -- label itself (class_id stays NULL until a person confirms it through the normal,
        -- undoable label action). The run is kept without a foreign key, so a deleted run
        -- leaves its suggestions readable; a deleted class takes its suggestions with it.
        ALTER TABLE images ADD COLUMN suggested_class_id INTEGER REFERENCES classes(id) ON DELETE SET NULL;
        ALTER TABLE images ADD COLUMN suggested_by_run INTEGER;
        ALTER TABLE images ADD COLUMN suggested_confidence REAL;
        CREATE INDEX images_suggested ON images(suggested_class_id, id) WHERE suggested_class_id IS NOT NULL;
      `);
    },
  },
];

export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1]!.version;

// The upgrade to schema 5 (saved evaluations) on a project made by schema 4: its runs,
// checkpoints and ledger stay as they were, a run's note reads '' until one is written,
// and the new tables take evaluations at once.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../electron/engine/store/database.js';
import { LATEST_SCHEMA_VERSION } from '../../../electron/engine/store/migrations.js';
import { EvaluationsRepo } from '../../../electron/engine/store/evaluations-repo.js';
import { LedgerRepo } from '../../../electron/engine/store/ledger-repo.js';
import { RunsRepo } from '../../../electron/engine/store/runs-repo.js';
import { SplitsRepo } from '../../../electron/engine/store/splits-repo.js';
import { runRows } from '../../../electron/engine/service/run-row.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-evaluations-migration-');

describe('schema 5: saved evaluations', () => {
  it('upgrades a schema-4 project, keeping its runs (with an empty note) and its ledger', () => {
    const file = path.join(tempDir(), 'holdout.db');
    const old = openDatabase(file, { targetVersion: 4 });
    expect(schemaVersion(old)).toBe(4);
    const version = new SplitsRepo(old).insert(
      { parentId: null, seed: 7, ratios: { train: 80, validation: 10, test: 10 }, grouping: [], threshold: 4, allowTest: false, report: {} },
      new Map(),
    );
    const runs = new RunsRepo(old);
    const a = runs.create({ name: 'before the upgrade', splitVersionId: version.id, config: { epochs: 3 } });
    runs.finish(a.id, { status: 'completed', seconds: 12, epochsRun: 3, bestEpoch: 2, bestValLoss: 0.4, bestValAccuracy: 0.9, stoppedEarly: false });
    const b = runs.create({ name: 'annotated', splitVersionId: version.id, config: {} });
    runs.annotate(b.id, 'tried more flips');
    const entry = new LedgerRepo(old).insert({ splitVersionId: version.id, testFingerprint: 'f', useNumber: 1, runId: a.id, model: 'run 1', testImages: 4 });
    const tablesBefore = old.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();
    expect(tablesBefore).not.toContain('evaluations');
    old.close();

    const db = openDatabase(file);
    try {
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
      const upgraded = new RunsRepo(db);
      expect(upgraded.get(a.id)).toMatchObject({ name: 'before the upgrade', status: 'completed', bestEpoch: 2, bestValAccuracy: 0.9, config: { epochs: 3 } });
      const rows = runRows(db, upgraded.list());
      expect(rows.map((r) => [r.id, r.note, r.labelsChangedSince])).toEqual([
        [b.id, 'tried more flips', 0],
        [a.id, '', 0],
      ]);
      expect(new LedgerRepo(db).get(entry.id)).toMatchObject({ runId: a.id, useNumber: 1 });

      const repo = new EvaluationsRepo(db);
      expect(repo.list()).toEqual([]);
      const id = repo.save({
        runId: a.id,
        split: 'validation',
        splitVersionId: version.id,
        checkpointEpoch: 2,
        modelKind: 'small-cnn',
        backend: null,
        evaluated: 0,
        accuracy: 0,
        loss: 0,
        perClass: [],
        macroF1: null,
        confusion: { classes: [], matrix: [] },
        predictions: [],
        skipped: { unlabeled: 0, excluded: 0, classNotInModel: 0 },
        labelsChangedSinceRun: [],
        quiz: null,
      });
      expect(repo.list(a.id).map((e) => e.id)).toEqual([id]);
      // The index the cell gallery reads from exists.
      const indexes = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'evaluation_images'`).pluck().all();
      expect(indexes).toContain('evaluation_images_cell');
      const plan = db
        .prepare(`EXPLAIN QUERY PLAN SELECT image_id FROM evaluation_images WHERE evaluation_id = 1 AND actual = 'a' AND predicted = 'b' ORDER BY confidence DESC, image_id`)
        .all() as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' | ')).toMatch(/USING (COVERING )?INDEX evaluation_images_cell/);
      expect(plan.map((p) => p.detail).join(' | ')).not.toMatch(/TEMP B-TREE/);
    } finally {
      db.close();
    }
  });
});

// evaluateRun on the default model for photos, a head on frozen backbone features, in
// process: validation is scored from the feature cache training filled (the same key:
// nothing is computed again) and repeats the run's best validation numbers; the test
// split is refused without confirmation before anything is computed, and with it the
// ledger gets its row and result. Real images, the real bundled backbone, real TF.js.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../electron/api/errors.js';
import { evaluateRun } from '../../../electron/engine/evaluate/evaluate-run.js';
import { lockboxStatus } from '../../../electron/engine/evaluate/ledger.js';
import { openDatabase } from '../../../electron/engine/store/database.js';
import { RunsRepo } from '../../../electron/engine/store/runs-repo.js';
import { featureCachesRoot } from '../../../electron/engine/train/features/feature-cache.js';
import { createRun } from '../../../electron/engine/train/run/create-run.js';
import { runTraining } from '../../../electron/engine/train/run/run-training.js';
import { runCli } from '../../helpers/run-cli.js';
import { writeShapesDataset } from '../../helpers/shapes-dataset.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-evaluate-frozen-');

/** Every cached feature file, over all cache keys. */
function cachedFiles(project: string): string[] {
  const root = featureCachesRoot(project);
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.f32'));
}

describe('evaluateRun on a frozen-backbone head', () => {
  let project: string;
  let runId: number;
  beforeAll(async () => {
    const images = await writeShapesDataset(path.join(tempDir(), 'photos'), { perClass: 12, size: 64, colourByClass: true, shapes: ['circle', 'square'] });
    project = path.join(tempDir(), 'project');
    expect((await runCli(['import', images, '--project', project])).code).toBe(0);
    expect((await runCli(['split', '--project', project, '--seed', '2'])).code).toBe(0);
    const db = openDatabase(path.join(project, 'holdout.db'));
    runId = createRun(db, { modelKind: 'frozen-head', epochs: 4, batchSize: 8, seed: 1, augmentViews: 0, earlyStopping: { enabled: false } }).id;
    db.close();
    const summary = await runTraining({ projectDir: project, runId, emit: () => undefined, shouldStop: () => false });
    expect(summary.status).toBe('completed');
  });

  it('validation comes from the cached view-0 features and repeats the best epoch', async () => {
    const before = cachedFiles(project);
    const db = openDatabase(path.join(project, 'holdout.db'));
    try {
      const phases: string[] = [];
      const r = await evaluateRun(db, project, runId, 'validation', { onProgress: (phase) => phases.push(phase) });
      const run = new RunsRepo(db).get(runId)!;
      expect(r).toMatchObject({ runId, split: 'validation', modelKind: 'frozen-head', checkpointEpoch: run.bestEpoch, quizAccuracy: null });
      expect(Math.abs(r.accuracy - run.bestValAccuracy!)).toBeLessThan(1e-6);
      expect(Math.abs(r.loss - run.bestValLoss!)).toBeLessThan(1e-5);
      expect(r.predictions).toHaveLength(r.evaluated);
      for (const p of r.predictions) {
        expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
        expect(p.confidence).toBe(Math.max(...p.probabilities));
      }
      expect(phases).toContain('predicting');
      // Nothing new in the cache: the same key as training, every feature a hit.
      expect(cachedFiles(project).sort()).toEqual(before.sort());
    } finally {
      db.close();
    }
  });

  it('test: refused without confirmation before any work; with it, one ledger row with its result', async () => {
    const db = openDatabase(path.join(project, 'holdout.db'));
    try {
      const cached = cachedFiles(project).length;
      const refused = await evaluateRun(db, project, runId, 'test', {}).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ApiError);
      expect((refused as ApiError).field).toBe('confirm');
      expect(lockboxStatus(db).uses).toBe(0);
      expect(cachedFiles(project)).toHaveLength(cached);

      const r = await evaluateRun(db, project, runId, 'test', { confirm: true, model: 'frozen head, test once' });
      expect(r).toMatchObject({ split: 'test', testUses: 1, reused: false, reuseMark: null });
      const status = lockboxStatus(db);
      expect(status.uses).toBe(1);
      expect(status.entries[0]).toMatchObject({ runId, model: 'frozen head, test once', useNumber: 1 });
      expect(status.entries[0]!.result).toMatchObject({ accuracy: r.accuracy, evaluated: r.evaluated });
      expect(r.evaluated).toBe(status.testImages);
      // The test images' features were computed now (they were never read for training).
      expect(cachedFiles(project)).toHaveLength(cached + r.evaluated);

      const reuse = await evaluateRun(db, project, runId, 'test', { confirm: true }).catch((e: unknown) => e);
      expect((reuse as ApiError).field).toBe('confirmReuse');
      expect(lockboxStatus(db).uses).toBe(1);
    } finally {
      db.close();
    }
  });
});

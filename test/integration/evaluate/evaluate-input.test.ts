// Bad input to `holdout evaluate` and `holdout runs`, each refused with an error line
// that names the option or field, exit code 1 (bad data) or 2 (bad usage), and nothing
// written to the lockbox ledger. No training needed: a run record without a checkpoint
// is made in-process, as `holdout train` makes it before its worker starts.
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/engine/store/database.js';
import { createRun } from '../../../electron/engine/train/run/create-run.js';
import { runCli } from '../../helpers/run-cli.js';
import { writeShapesDataset } from '../../helpers/shapes-dataset.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-evaluate-input-');

function ledgerRows(project: string): number {
  const db = new Database(path.join(project, 'holdout.db'), { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM test_evaluations').pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('holdout evaluate and runs: bad input', () => {
  let project: string;
  let untrained: number;
  beforeAll(async () => {
    const images = await writeShapesDataset(path.join(tempDir(), 'shapes'), { perClass: 10, size: 16, shapes: ['circle', 'square'] });
    project = path.join(tempDir(), 'project');
    expect((await runCli(['import', images, '--project', project])).code).toBe(0);
    expect((await runCli(['split', '--project', project, '--seed', '1'])).code).toBe(0);
    const db = openDatabase(path.join(project, 'holdout.db'));
    untrained = createRun(db, { modelKind: 'small-cnn', epochs: 1 }).id;
    db.close();
  });

  it('an unknown run, a run without a saved model (on test too: no use is spent), another split, no --run, no --project', async () => {
    // The ones that open the project one after another: one writer holds a project at a
    // time (holdout.lock), so two evaluations at once would refuse each other. Usage errors
    // open nothing and run alongside.
    const [otherSplit, noRun, noProject] = await Promise.all([
      runCli(['evaluate', '--project', project, '--run', String(untrained), '--split', 'train']),
      runCli(['evaluate', '--project', project, '--split', 'validation']),
      runCli(['evaluate', '--run', String(untrained), '--split', 'validation']),
    ]);
    const unknown = await runCli(['evaluate', '--project', project, '--run', '999', '--split', 'validation']);
    const noModel = await runCli(['evaluate', '--project', project, '--run', String(untrained), '--split', 'validation']);
    const noModelTest = await runCli(['evaluate', '--project', project, '--run', String(untrained), '--split', 'test', '--confirm-test']);
    expect(unknown.code).toBe(1);
    expect(unknown.last).toEqual({ event: 'error', code: 'not_found', field: 'run', message: 'run 999 does not exist' });
    for (const r of [noModel, noModelTest]) {
      expect(r.code).toBe(1);
      expect(r.last).toMatchObject({ event: 'error', code: 'not_found', field: 'run', message: expect.stringMatching(new RegExp(`run ${untrained} has no saved model`)) });
    }
    expect(otherSplit.code).toBe(2);
    expect(otherSplit.last).toMatchObject({ event: 'error', code: 'usage', message: '--split must be "validation" or "test", not "train"' });
    expect(noRun.code).toBe(2);
    expect(noRun.last).toMatchObject({ event: 'error', code: 'usage', message: expect.stringMatching(/needs --run/) });
    expect(noProject.code).toBe(2);
    expect(noProject.last).toMatchObject({ event: 'error', code: 'usage', message: 'evaluate needs --project <dir>' });
    expect(ledgerRows(project)).toBe(0);
  });

  it('a run id that is not a number, an unknown option, a folder that is not a project', async () => {
    const notProject = tempDir('empty');
    const [word, unknownOption, missing] = await Promise.all([
      runCli(['evaluate', '--project', project, '--run', 'best', '--split', 'validation']),
      runCli(['evaluate', '--project', project, '--run', '1', '--split', 'test', '--confirm']),
      runCli(['evaluate', '--project', notProject, '--run', '1', '--split', 'validation']),
    ]);
    expect(word.code).toBe(2);
    expect(word.last).toMatchObject({ code: 'usage', message: '--run needs a run id (a whole number), not "best"' });
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.last).toMatchObject({ code: 'usage', message: expect.stringMatching(/--confirm/) });
    expect(missing.code).toBe(1);
    expect(missing.last).toMatchObject({ event: 'error' });
    expect(ledgerRows(project)).toBe(0);
  });

  it('runs lists a run that never trained, with empty metrics; runs needs --project', async () => {
    const r = await runCli(['runs', '--project', project]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines).toEqual([
      expect.objectContaining({ event: 'run', id: untrained, status: 'queued', model_kind: 'small-cnn', backend: null, epochs_run: 0, best_epoch: null, best_val_accuracy: null, seconds: null }),
      { event: 'runs', count: 1 },
    ]);
    const bad = await runCli(['runs']);
    expect(bad.code).toBe(2);
    expect(bad.last).toMatchObject({ code: 'usage', message: 'runs needs --project <dir>' });
  });
});

// `holdout runs` and `holdout evaluate` as a user runs them, on a real small model:
// coloured shapes rendered by sharp, imported and split by the CLI, a small CNN trained
// by `holdout train` (TensorFlow.js, WebAssembly). Checks that validation repeats what
// training recorded for the best checkpoint, that the test split opens only through the
// lockbox (refused without --confirm-test with nothing written; each use a ledger row,
// the second marked reused), that a label fixed since training is evaluated as it is
// now, and that the person's quiz accuracy is reported. Bad input: evaluate-input.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/engine/store/database.js';
import { QuizRepo } from '../../../electron/engine/store/quiz-repo.js';
import { runCli } from '../../helpers/run-cli.js';
import { writeShapesDataset } from '../../helpers/shapes-dataset.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-evaluate-cli-');
const CONFIG = { modelKind: 'small-cnn', epochs: 6, batchSize: 16, seed: 3, learningRate: 0.002 };

type Line = Record<string, any>;

function query<T>(project: string, sql: string, ...params: unknown[]): T {
  const db = new Database(path.join(project, 'holdout.db'), { readonly: true });
  try {
    return db.prepare(sql).get(...params) as T;
  } finally {
    db.close();
  }
}

const ledgerRows = (project: string) => query<{ n: number }>(project, 'SELECT count(*) AS n FROM test_evaluations').n;
const splitCount = (project: string, split: string) =>
  query<{ n: number }>(project, 'SELECT count(*) AS n FROM split_assignments WHERE version_id = 1 AND split = ?', split).n;

function matrixSum(matrix: number[][]): number {
  return matrix.flat().reduce((a, b) => a + b, 0);
}

describe('holdout runs and holdout evaluate', () => {
  let project: string;
  let runId: number;
  beforeAll(async () => {
    const images = await writeShapesDataset(path.join(tempDir(), 'shapes'), { perClass: 30, size: 32, colourByClass: true });
    project = path.join(tempDir(), 'project');
    expect((await runCli(['import', images, '--project', project])).code).toBe(0);
    expect((await runCli(['split', '--project', project, '--seed', '1'])).code).toBe(0);
    const configFile = path.join(tempDir(), 'config.json');
    fs.writeFileSync(configFile, JSON.stringify(CONFIG));
    const train = await runCli(['train', '--project', project, '--config', configFile]);
    expect(train.code, train.stderr).toBe(0);
    runId = (train.last as Line).run_id;
  });

  it('runs: one line per run with its outcome, then the count', async () => {
    const r = await runCli(['runs', '--project', project]);
    expect(r.code, r.stderr).toBe(0);
    const stored = query<Line>(project, 'SELECT * FROM runs WHERE id = ?', runId);
    expect(r.lines).toEqual([
      {
        event: 'run',
        id: runId,
        name: 'Run 1',
        kind: 'single',
        parent_run_id: null,
        status: 'completed',
        model_kind: 'small-cnn',
        backend: expect.stringMatching(/WebAssembly/),
        split_version: 1,
        epochs_run: stored.epochs_run,
        best_epoch: stored.best_epoch,
        best_val_accuracy: stored.best_val_accuracy,
        best_val_loss: stored.best_val_loss,
        stopped_early: false,
        created_at: stored.created_at,
        seconds: stored.seconds,
        note: '',
        labels_changed_since: 0,
      },
      { event: 'runs', count: 1 },
    ]);
  });

  it('validation: repeats what training recorded for the best checkpoint, and opens no lockbox', async () => {
    const r = await runCli(['evaluate', '--project', project, '--run', String(runId), '--split', 'validation']);
    expect(r.code, r.stderr).toBe(0);
    const e = r.last as Line;
    const stored = query<Line>(project, 'SELECT best_val_accuracy, best_val_loss, best_epoch FROM runs WHERE id = ?', runId);
    expect(e).toMatchObject({ event: 'evaluate', run_id: runId, split: 'validation', split_version: 1, checkpoint_epoch: stored.best_epoch, quiz_accuracy: null });
    expect(Math.abs(e.accuracy - stored.best_val_accuracy)).toBeLessThan(1e-6);
    // The loss too: the same images, decode and arithmetic as the training loop's validation.
    expect(Math.abs(e.loss - stored.best_val_loss)).toBeLessThan(1e-5);
    const n = splitCount(project, 'validation');
    expect(e.evaluated).toBe(n);
    expect(e.confusion.classes).toEqual(['circle', 'square', 'triangle']);
    expect(matrixSum(e.confusion.matrix)).toBe(n);
    expect(e.per_class.map((c: Line) => c.support)).toEqual(e.confusion.matrix.map((row: number[]) => row.reduce((a, b) => a + b, 0)));
    for (const c of e.per_class) expect(Object.keys(c).sort()).toEqual(['class', 'f1', 'precision', 'recall', 'support']);
    expect(e.macro_f1).toBeGreaterThan(0.5);
    expect(e).not.toHaveProperty('test_uses');
    expect(ledgerRows(project)).toBe(0);
    // Saved, so the app's Evaluate screen shows it without scoring again.
    const saved = query<Line>(project, 'SELECT * FROM evaluations WHERE id = ?', e.evaluation_id);
    expect(saved).toMatchObject({ run_id: runId, split: 'validation', evaluated: n, accuracy: e.accuracy, test_uses: null, ledger_entry_id: null });
    expect(query<{ n: number }>(project, 'SELECT count(*) AS n FROM evaluation_images WHERE evaluation_id = ?', e.evaluation_id).n).toBe(n);
  });

  it('test: refused without --confirm-test, naming the flag, with nothing written', async () => {
    const r = await runCli(['evaluate', '--project', project, '--run', String(runId), '--split', 'test']);
    expect(r.code).toBe(1);
    expect(r.lines).toHaveLength(1);
    expect(r.last).toMatchObject({ event: 'error', code: 'forbidden', field: 'confirm-test' });
    expect(r.stderr).toMatch(/--confirm-test/);
    expect(ledgerRows(project)).toBe(0);
  });

  it('test with --confirm-test: a ledger row per use; the second is counted and marked as a reuse', async () => {
    const n = splitCount(project, 'test');
    const first = await runCli(['evaluate', '--project', project, '--run', String(runId), '--split', 'test', '--confirm-test']);
    expect(first.code, first.stderr).toBe(0);
    const a = first.last as Line;
    expect(a).toMatchObject({ event: 'evaluate', split: 'test', split_version: 1, test_uses: 1, reused: false, evaluated: n });
    expect(a).not.toHaveProperty('warning');
    expect(first.stderr).not.toMatch(/warning/);
    expect(matrixSum(a.confusion.matrix)).toBe(n);
    const row = query<Line>(project, 'SELECT * FROM test_evaluations ORDER BY id DESC LIMIT 1');
    expect(row).toMatchObject({ run_id: runId, use_number: 1, test_images: n });
    expect(query<Line>(project, 'SELECT * FROM evaluations WHERE id = ?', a.evaluation_id)).toMatchObject({ split: 'test', test_uses: 1, reuse_mark: null, ledger_entry_id: row.id });
    expect(JSON.parse(row.result)).toMatchObject({ runId, accuracy: a.accuracy, confusion: a.confusion });

    const second = await runCli(['evaluate', '--project', project, '--run', String(runId), '--split', 'test', '--confirm-test']);
    expect(second.code, second.stderr).toBe(0);
    const b = second.last as Line;
    expect(b).toMatchObject({ test_uses: 2, reused: true, warning: expect.stringMatching(/^test set reused \(2\)/) });
    expect(second.stderr).toMatch(/warning: test set reused \(2\)/);
    // The same model on the same images: the same numbers.
    expect(b.accuracy).toBe(a.accuracy);
    expect(b.confusion).toEqual(a.confusion);
    expect(ledgerRows(project)).toBe(2);
    expect(b.evaluation_id).toBeGreaterThan(a.evaluation_id);
    expect(query<Line>(project, 'SELECT * FROM evaluations WHERE id = ?', b.evaluation_id)).toMatchObject({ test_uses: 2, reuse_mark: 'test set reused (2)' });
  });

  it('uses labels as they are now, says how many changed since the run, and shows the quiz accuracy', async () => {
    // Relabel one validation image to another class with `holdout label` (a recorded action).
    const img = query<Line>(
      project,
      `SELECT i.id, i.path, c.name FROM split_assignments a JOIN images i ON i.id = a.image_id JOIN classes c ON c.id = i.class_id
        WHERE a.version_id = 1 AND a.split = 'validation' ORDER BY i.id LIMIT 1`,
    );
    const other = img.name === 'circle' ? 'square' : 'circle';
    const csv = path.join(tempDir(), 'relabel.csv');
    fs.writeFileSync(csv, `path,label\n${img.path},${other}\n`);
    expect((await runCli(['label', '--project', project, '--csv', csv])).code).toBe(0);

    // A person's quiz: two questions, one right.
    const db = openDatabase(path.join(project, 'holdout.db'));
    const classes = db.prepare('SELECT id, name FROM classes ORDER BY id').all() as { id: number; name: string }[];
    const quiz = new QuizRepo(db);
    const session = quiz.create(5, [
      { imageId: 1, classId: classes[0]!.id, className: classes[0]!.name },
      { imageId: 2, classId: classes[0]!.id, className: classes[0]!.name },
    ]);
    quiz.answer(session, 0, { classId: classes[0]!.id, name: classes[0]!.name });
    quiz.answer(session, 1, { classId: classes[1]!.id, name: classes[1]!.name });
    db.close();

    const before = (await runCli(['evaluate', '--project', project, '--run', String(runId), '--split', 'validation'])).last as Line;
    expect(before.labels_changed_since_run).toBe(1);
    const listed = (await runCli(['runs', '--project', project])).lines[0] as Line;
    expect(listed).toMatchObject({ id: runId, labels_changed_since: 1 });
    expect(before.quiz_accuracy).toBe(0.5);
    const row = before.confusion.classes.indexOf(other);
    const stored = query<Line>(project, 'SELECT best_val_accuracy FROM runs WHERE id = ?', runId);
    // The model still answers the old class for that image: it is now a mistake in the new class's row.
    expect(before.per_class.find((c: Line) => c.class === other).support).toBe(
      before.confusion.matrix[row].reduce((a: number, b: number) => a + b, 0),
    );
    expect(before.accuracy).toBeLessThan(stored.best_val_accuracy);
    expect(before.most_confident_mistakes.some((m: Line) => m.image_id === img.id && m.actual === other)).toBe(true);
  });
});

// Evaluation through the API as the Evaluate screen drives it, on a real small model
// (coloured shapes rendered by sharp, imported and split through the service, a small
// CNN trained by TensorFlow.js in a worker thread), each evaluation scored in its own
// worker thread and saved: the saved evaluation comes back whole with its progress
// events; refusals come before any worker, with the lockbox's own code and field and no
// ledger row; the test set twice is counted and marked; a label fixed from a gallery
// shows up in the evaluation's and the run's relabel counts; runs.update renames and notes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Evaluation } from '../../../electron/api/evaluate-schemas.js';
import { RunRow } from '../../../electron/api/train-schemas.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { refusal, trainFixture, type TrainFixture } from './train-fixture.js';

const tempDir = tempDirFactory('holdout-evaluate-service-');
const SMALL_CNN = { modelKind: 'small-cnn', epochs: 2, batchSize: 16, seed: 3, learningRate: 0.003, backend: 'wasm' };

let f: TrainFixture;
let runId: number;

const ledgerRows = () => f.service.project()!.db.prepare('SELECT count(*) FROM test_evaluations').pluck().get() as number;
const progressOf = (from: number) => f.events.slice(from).filter((e) => e.event === 'evaluate.progress').map((e) => e.payload);

beforeAll(async () => {
  f = await trainFixture(tempDir(), { perClass: 12 });
  const ended = f.next('train.progress', (e) => e.type === 'end', 90_000);
  runId = (await f.call('train.start', { config: SMALL_CNN })).run.id;
  expect((await ended).summary).toMatchObject({ status: 'completed' });
}, 120_000);
afterAll(async () => {
  await f?.service.dispose();
});

describe('evaluate.run on validation', () => {
  it('scores the best checkpoint in a worker, reports progress, saves it and returns it whole', async () => {
    const from = f.events.length;
    const running = f.call('evaluate.run', { runId, split: 'validation' });
    // One evaluation of a run on a split at a time.
    expect(await refusal(f.call('evaluate.run', { runId, split: 'validation' }))).toMatchObject({ code: 'busy', field: 'runId' });
    const e = await running;
    expect(Evaluation.strict().safeParse(e).error).toBeUndefined();
    const run = (await f.call('runs.get', { runId })).run;
    expect(e).toMatchObject({ runId, split: 'validation', splitVersionId: 1, checkpointEpoch: run.bestEpoch, testUses: null, reuseMark: null, ledgerEntryId: null });
    // The worker repeats what training recorded for its best epoch.
    expect(Math.abs(e.accuracy - run.bestValAccuracy)).toBeLessThan(1e-6);
    expect(e.confusion.matrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(e.evaluated);
    expect(e.evaluated).toBeGreaterThan(0);

    const progress = progressOf(from);
    expect(progress[0]).toMatchObject({ runId, split: 'validation', phase: 'loading', error: null });
    expect(progress.some((p) => p.phase === 'predicting' && p.done === p.total && p.total === e.evaluated)).toBe(true);
    expect(progress[progress.length - 1]).toEqual({ runId, split: 'validation', phase: 'done', done: e.evaluated, total: e.evaluated, error: null });

    expect(await f.call('evaluate.get', { evaluationId: e.id })).toEqual(e);
    const { evaluations } = await f.call('evaluate.list', { runId });
    expect(evaluations.map((x: { id: number }) => x.id)).toEqual([e.id]);
    const cell = await f.call('evaluate.images', { evaluationId: e.id, actual: e.confusion.classes[0], predicted: e.confusion.classes[0] });
    expect(cell.total).toBe(e.confusion.matrix[0][0]);
    expect(ledgerRows()).toBe(0);
  });

  it('refuses before starting a worker: unknown runs and evaluations, a run with no model yet, bad class names', async () => {
    const from = f.events.length;
    expect(await refusal(f.call('evaluate.run', { runId: 999, split: 'validation' }))).toMatchObject({ code: 'not_found', field: 'runId' });
    expect(await refusal(f.call('evaluate.run', { runId, split: 'train' }))).toMatchObject({ code: 'invalid_request', field: 'split' });
    expect(await refusal(f.call('evaluate.get', { evaluationId: 999 }))).toMatchObject({ code: 'not_found', field: 'evaluationId' });
    expect(await refusal(f.call('evaluate.list', { runId: 999 }))).toMatchObject({ code: 'not_found', field: 'runId' });
    const [latest] = (await f.call('evaluate.list', {})).evaluations;
    expect(await refusal(f.call('evaluate.images', { evaluationId: latest.id, actual: 'hexagon' }))).toMatchObject({ code: 'invalid_request', field: 'actual' });
    // A run that cannot be evaluated yet says so: a run with no checkpoint.
    const db = f.service.project()!.db;
    const bare = Number(db.prepare(`INSERT INTO runs (name, split_version_id, config) VALUES ('never trained', 1, '{}')`).run().lastInsertRowid);
    const noModel = await refusal(f.call('evaluate.run', { runId: bare, split: 'validation' }));
    expect(noModel).toMatchObject({ code: 'not_found', field: 'runId' });
    expect(noModel.message).toMatch(/no saved model yet/);
    db.prepare('DELETE FROM runs WHERE id = ?').run(bare);
    expect(progressOf(from)).toEqual([]);
  });
});

describe('evaluate.run on test, through the lockbox', () => {
  it('refuses without confirm with the lockbox code and field, writing nothing', async () => {
    const from = f.events.length;
    const refused = await refusal(f.call('evaluate.run', { runId, split: 'test' }));
    expect(refused).toMatchObject({ code: 'forbidden', field: 'confirm' });
    expect(refused.message).toMatch(/deliberate, recorded act/);
    expect(ledgerRows()).toBe(0);
    expect(progressOf(from)).toEqual([]);
  });

  it('counts each use: 1, then (after a second confirmation) 2 with the reuse mark', async () => {
    const a = await f.call('evaluate.run', { runId, split: 'test', confirm: true });
    expect(a).toMatchObject({ split: 'test', testUses: 1, reuseMark: null, ledgerEntryId: expect.any(Number) });
    expect(ledgerRows()).toBe(1);
    const again = await refusal(f.call('evaluate.run', { runId, split: 'test', confirm: true }));
    expect(again).toMatchObject({ code: 'forbidden', field: 'confirmReuse' });
    expect(ledgerRows()).toBe(1);
    const b = await f.call('evaluate.run', { runId, split: 'test', confirm: true, confirmReuse: true });
    expect(b).toMatchObject({ testUses: 2, reuseMark: 'test set reused (2)' });
    expect(b.ledgerEntryId).toBeGreaterThan(a.ledgerEntryId);
    expect(b.confusion).toEqual(a.confusion);
    expect(ledgerRows()).toBe(2);
    const { evaluations } = await f.call('evaluate.list', { runId });
    expect(evaluations.slice(0, 2).map((e: { testUses: number }) => e.testUses)).toEqual([2, 1]);
  });
});

describe('fixing a label after an evaluation', () => {
  it("raises the evaluation's and the run's relabel counts, and the gallery shows the label now", async () => {
    const [latest] = (await f.call('evaluate.list', { runId })).evaluations;
    const before = await f.call('evaluate.get', { evaluationId: latest.id });
    expect(before.labelsChangedSinceEvaluation).toBe(0);
    expect((await f.call('runs.list')).runs[0].labelsChangedSince).toBe(0);
    const { images } = await f.call('evaluate.images', { evaluationId: latest.id, limit: 1 });
    const image = images[0];
    const classes = (await f.call('classes.list')).classes as { id: number; name: string }[];
    const other = classes.find((c) => c.name !== image.actual)!;
    await f.call('labels.assign', { imageIds: [image.imageId], classId: other.id });

    const after = await f.call('evaluate.get', { evaluationId: latest.id });
    expect(after.labelsChangedSinceEvaluation).toBe(1);
    const shown = (await f.call('evaluate.images', { evaluationId: latest.id, limit: 500 })).images.find((i: { imageId: number }) => i.imageId === image.imageId);
    expect(shown).toMatchObject({ actual: image.actual, currentLabel: other.name });
    const { runs } = await f.call('runs.list');
    for (const r of runs) expect(RunRow.strict().safeParse(r).error).toBeUndefined();
    expect(runs.find((r: { id: number }) => r.id === runId).labelsChangedSince).toBe(1);
    expect((await f.call('runs.get', { runId })).run.labelsChangedSince).toBe(1);
    await f.call('labels.undo');
    expect((await f.call('evaluate.get', { evaluationId: latest.id })).labelsChangedSinceEvaluation).toBe(0);
  });
});

describe('runs.update', () => {
  it('renames and notes a run; refuses an empty name and an unknown run', async () => {
    const named = await f.call('runs.update', { runId, name: '  Shapes, first try ' });
    expect(named.run).toMatchObject({ id: runId, name: 'Shapes, first try', note: '' });
    const noted = await f.call('runs.update', { runId, note: 'colour alone gives it away' });
    expect(noted.run).toMatchObject({ name: 'Shapes, first try', note: 'colour alone gives it away' });
    expect((await f.call('runs.list')).runs.find((r: { id: number }) => r.id === runId)).toMatchObject({ note: 'colour alone gives it away' });
    const both = await f.call('runs.update', { runId, name: 'Shapes', note: '' });
    expect(both.run).toMatchObject({ name: 'Shapes', note: '' });
    expect(await refusal(f.call('runs.update', { runId, name: '   ' }))).toMatchObject({ code: 'invalid_request', field: 'name' });
    expect(await refusal(f.call('runs.update', { runId: 999, name: 'x' }))).toMatchObject({ code: 'not_found', field: 'runId' });
    expect((await f.call('runs.get', { runId })).run.name).toBe('Shapes');
  });
});

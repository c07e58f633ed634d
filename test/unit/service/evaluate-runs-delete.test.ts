// Deleting runs through the API, on a real project with a real trained run (a small CNN
// trained by TensorFlow.js in a worker thread): the rows, the saved evaluations and the
// checkpoint folder go, the lockbox ledger stays; an ensemble goes with its members, a
// member alone is refused, a run in training is refused. Also the evaluation worker's
// own refusals (the lockbox's, checked again inside the worker) reach the caller as the
// same ApiError, code, message and field.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../electron/api/errors.js';
import { startEvaluation } from '../../../electron/engine/evaluate/evaluate-host.js';
import { RunsRepo } from '../../../electron/engine/store/runs-repo.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { refusal, trainFixture, type TrainFixture } from './train-fixture.js';

const tempDir = tempDirFactory('holdout-evaluate-runs-delete-');
const SMALL_CNN = { modelKind: 'small-cnn', epochs: 2, batchSize: 16, seed: 3, learningRate: 0.003, backend: 'wasm' };

let f: TrainFixture;
let runId: number;

const db = () => f.service.project()!.db;
const count = (table: string, column = 'run_id', id = runId) => db().prepare(`SELECT count(*) FROM ${table} WHERE ${column} = ?`).pluck().get(id) as number;

function folderBytes(dir: string): number {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).reduce((sum, e) => (e.isFile() ? sum + fs.statSync(path.join(e.parentPath, e.name)).size : sum), 0);
}

beforeAll(async () => {
  f = await trainFixture(tempDir(), { perClass: 12 });
  const ended = f.next('train.progress', (e) => e.type === 'end', 90_000);
  runId = (await f.call('train.start', { config: SMALL_CNN })).run.id;
  expect((await ended).summary).toMatchObject({ status: 'completed' });
}, 120_000);
afterAll(async () => {
  await f?.service.dispose();
});

describe('the evaluation worker', () => {
  it("relays the lockbox's refusal from inside the worker as the same ApiError, writing no ledger row", async () => {
    const progress: string[] = [];
    // Straight to the worker, past the service's own early check.
    const handle = startEvaluation({ request: { projectDir: f.projectDir, runId, split: 'test' }, onProgress: (phase) => progress.push(phase) });
    const err = await handle.done.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).toJSON()).toEqual({ code: 'forbidden', message: expect.stringMatching(/deliberate, recorded act/), field: 'confirm' });
    expect(progress).toEqual(['loading']);
    expect(db().prepare('SELECT count(*) FROM test_evaluations').pluck().get()).toBe(0);
  });
});

describe('runs.delete', () => {
  it('refuses unknown runs, and a member of an ensemble alone; deletes an ensemble with its members and their folders', async () => {
    expect(await refusal(f.call('runs.delete', { runId: 999, confirm: true }))).toMatchObject({ code: 'not_found', field: 'runId' });
    expect(await refusal(f.call('runs.delete', { runId }))).toMatchObject({ code: 'invalid_request', field: 'confirm' });
    const runs = new RunsRepo(db());
    const ensemble = runs.create({ name: 'trio', kind: 'ensemble', splitVersionId: 1, config: {} });
    const member = runs.create({ name: 'trio 1', kind: 'member', parentRunId: ensemble.id, splitVersionId: 1, config: {} });
    const memberDir = path.join(f.projectDir, 'checkpoints', String(member.id), 'epoch-0001');
    fs.mkdirSync(memberDir, { recursive: true });
    fs.writeFileSync(path.join(memberDir, 'weights.bin'), Buffer.alloc(1234));

    const refused = await refusal(f.call('runs.delete', { runId: member.id, confirm: true }));
    expect(refused).toMatchObject({ code: 'conflict', field: 'runId' });
    expect(refused.message).toMatch(/member of the ensemble "trio".*Delete the ensemble/);
    expect(runs.get(member.id)).toBeDefined();

    expect(await f.call('runs.delete', { runId: ensemble.id, confirm: true })).toEqual({ deleted: ensemble.id, bytesFreed: 1234 });
    expect(runs.get(ensemble.id)).toBeUndefined();
    expect(runs.get(member.id)).toBeUndefined();
    expect(fs.existsSync(path.join(f.projectDir, 'checkpoints', String(member.id)))).toBe(false);
  });

  it('deletes a trained run: its rows, saved evaluations and checkpoint folder; the ledger keeps its rows', async () => {
    const saved = await f.call('evaluate.run', { runId, split: 'validation' });
    await f.call('lockbox.open', { model: `run ${runId}`, runId, confirm: true });
    const dir = path.join(f.projectDir, 'checkpoints', String(runId));
    const bytes = folderBytes(dir);
    expect(bytes).toBeGreaterThan(0);
    for (const table of ['run_epochs', 'run_batches', 'checkpoints', 'evaluations']) expect(count(table), table).toBeGreaterThan(0);
    expect(count('evaluation_images', 'evaluation_id', saved.id)).toBe(saved.evaluated);

    const changed = f.next('project.changed', (p) => p.reason === 'runs');
    expect(await f.call('runs.delete', { runId, confirm: true })).toEqual({ deleted: runId, bytesFreed: bytes });
    await changed;
    expect(fs.existsSync(dir)).toBe(false);
    for (const table of ['runs', 'run_epochs', 'run_batches', 'checkpoints', 'evaluations']) expect(count(table, table === 'runs' ? 'id' : 'run_id'), table).toBe(0);
    expect(count('evaluation_images', 'evaluation_id', saved.id)).toBe(0);
    // A use of the test set stays counted after the run that spent it is gone.
    expect(count('test_evaluations')).toBe(1);
    expect((await f.call('lockbox.status', {})).uses).toBe(1);
    expect((await f.call('runs.list')).runs).toEqual([]);
    expect(await refusal(f.call('evaluate.get', { evaluationId: saved.id }))).toMatchObject({ code: 'not_found' });
  });

  it('refuses a run that is training', async () => {
    const { run } = await f.call('train.start', { config: { ...SMALL_CNN, epochs: 50 } });
    const busy = await refusal(f.call('runs.delete', { runId: run.id, confirm: true }));
    expect(busy).toMatchObject({ code: 'busy', field: 'runId' });
    expect(busy.message).toMatch(/training: stop it/);
    expect(new RunsRepo(db()).get(run.id)).toBeDefined();
  });
});

describe('closing the project', () => {
  it('ends an evaluation in flight: the call is refused and a failed progress event says why', async () => {
    // A run with a best checkpoint row, so the evaluation starts its worker (which is
    // ended long before it could find the folder missing).
    const db0 = db();
    const trained = Number(db0.prepare(`INSERT INTO runs (name, split_version_id, config, status) VALUES ('copy', 1, '{}', 'completed')`).run().lastInsertRowid);
    db0.prepare(`INSERT INTO checkpoints (run_id, epoch, kind, path, bytes, sha256) VALUES (?, 1, 'best', ?, 1, ?)`).run(trained, `checkpoints/${trained}/epoch-0001`, 'a'.repeat(64));
    const failed = f.next('evaluate.progress', (p) => p.runId === trained && p.phase === 'failed');
    const call = refusal(f.call('evaluate.run', { runId: trained, split: 'validation' }));
    expect(await f.call('project.close')).toEqual({ closed: true });
    const refused = await call;
    expect(refused).toMatchObject({ code: 'conflict', message: expect.stringMatching(/project was closed/) });
    expect((await failed).error).toMatch(/project was closed/);
  });
});

// Run history on a real project database: the lifecycle of a run, metrics that a resume
// rewrites, best/last checkpoints, crashed workers, deletion, and the upgrade to schema 4.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../electron/api/errors.js';
import { createProject, openProject, type Project } from '../../../electron/engine/project/project.js';
import { openDatabase, schemaVersion } from '../../../electron/engine/store/database.js';
import { LATEST_SCHEMA_VERSION } from '../../../electron/engine/store/migrations.js';
import { processIsAlive, RunsRepo, type CheckpointInfo } from '../../../electron/engine/store/runs-repo.js';
import { SplitsRepo } from '../../../electron/engine/store/splits-repo.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-runs-');

function projectWithSplit(): { p: Project; runs: RunsRepo; splitId: number } {
  const p = createProject(path.join(tempDir(), 'p'));
  const split = new SplitsRepo(p.db).insert(
    { parentId: null, seed: 1, ratios: { train: 70, validation: 15, test: 15 }, grouping: [], threshold: 0, allowTest: false, report: {} },
    new Map(),
  );
  return { p, runs: new RunsRepo(p.db), splitId: split.id };
}

function errorOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    return err as ApiError;
  }
  throw new Error('expected an error');
}

const sha = (c: string) => c.repeat(64);
const ckpt = (runId: number, epoch: number, c = 'a'): CheckpointInfo => ({
  epoch,
  path: `checkpoints/${runId}/epoch-${String(epoch).padStart(4, '0')}`,
  valLoss: 1 / (epoch + 1),
  valAccuracy: epoch / 10,
  bytes: 1000 + epoch,
  sha256: sha(c),
});

/** A pid that existed a moment ago and has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

describe('RunsRepo', () => {
  it('creates runs with their configuration and lists them newest first', () => {
    const { p, runs, splitId } = projectWithSplit();
    try {
      const config = { model: 'frozen', epochs: 20, augmentation: { flip: true }, lr: 1e-3 };
      const a = runs.create({ name: '  first ', splitVersionId: splitId, config, modelKind: 'frozen-head' });
      const b = runs.create({ name: 'second', splitVersionId: splitId, config: {} });
      expect(a).toMatchObject({ name: 'first', kind: 'single', parentRunId: null, status: 'queued', config, modelKind: 'frozen-head', epochsRun: 0, stoppedEarly: false, pid: null });
      expect(a.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(runs.list().map((r) => r.id)).toEqual([b.id, a.id]);
      expect(runs.get(999)).toBeUndefined();

      expect(errorOf(() => runs.create({ name: ' ', splitVersionId: splitId, config: {} }))).toMatchObject({ code: 'invalid_request', field: 'name' });
      expect(errorOf(() => runs.create({ name: 'x', splitVersionId: 77, config: {} }))).toMatchObject({ code: 'not_found', field: 'splitVersionId' });
      expect(errorOf(() => runs.create({ name: 'x', kind: 'member', splitVersionId: splitId, config: {} }))).toMatchObject({ field: 'parentRunId' });
      expect(errorOf(() => runs.create({ name: 'x', kind: 'member', parentRunId: a.id, splitVersionId: splitId, config: {} }))).toMatchObject({
        field: 'parentRunId',
        message: expect.stringMatching(/not an ensemble/),
      });
      // The schema itself refuses what the repository would (a second line of defence).
      expect(() => p.db.prepare(`INSERT INTO runs (name, split_version_id, config, status) VALUES ('x', ?, '{}', 'paused')`).run(splitId)).toThrow(/CHECK/);
      expect(() => p.db.prepare(`INSERT INTO runs (name, split_version_id, config) VALUES ('x', ?, 'not json')`).run(splitId)).toThrow(/CHECK/);
    } finally {
      p.close();
    }
  });

  it('follows a run from start through a stop and a resume to completion', () => {
    const { p, runs, splitId } = projectWithSplit();
    try {
      const run = runs.create({ name: 'r', splitVersionId: splitId, config: {} });
      const started = runs.markRunning(run.id, 4242, 'wasm', { skipped: [{ backend: 'tfjs-node', reason: 'not installed' }], threads: 1 });
      expect(started).toMatchObject({ status: 'running', pid: 4242, backend: 'wasm', backendDetail: { threads: 1 } });
      expect(started.startedAt).not.toBeNull();
      expect(errorOf(() => runs.markRunning(run.id, 1, 'wasm', null))).toMatchObject({ code: 'conflict', field: 'runId' });

      expect(runs.markStopping(run.id)).toBe(true);
      expect(runs.get(run.id)!.status).toBe('stopping');
      const stopped = runs.finish(run.id, {
        status: 'stopped',
        stopReason: 'stopped by you',
        seconds: 12.5,
        epochsRun: 3,
        bestEpoch: 2,
        bestValLoss: 0.4,
        bestValAccuracy: 0.8,
        stoppedEarly: false,
      });
      expect(stopped).toMatchObject({ status: 'stopped', pid: null, stopReason: 'stopped by you', seconds: 12.5, epochsRun: 3, bestEpoch: 2 });
      expect(stopped.finishedAt).not.toBeNull();
      expect(runs.markStopping(run.id)).toBe(false);

      // Resume: running again, the first start time kept, the end cleared.
      const resumed = runs.markRunning(run.id, 4343, 'cpu', null);
      expect(resumed).toMatchObject({ status: 'running', pid: 4343, backend: 'cpu', finishedAt: null, stopReason: null, startedAt: started.startedAt });

      const done = runs.finish(run.id, { status: 'completed', seconds: 30, epochsRun: 9, bestEpoch: 6, bestValLoss: 0.2, bestValAccuracy: 0.93, stoppedEarly: true, stopReason: 'no improvement for 3 epochs' });
      expect(done).toMatchObject({ status: 'completed', stoppedEarly: true, bestValAccuracy: 0.93 });
      expect(errorOf(() => runs.markRunning(run.id, 1, 'wasm', null))).toMatchObject({ code: 'conflict' });
      expect(runs.list()[0]).toMatchObject({ id: run.id, bestEpoch: 6, bestValLoss: 0.2, bestValAccuracy: 0.93 });
    } finally {
      p.close();
    }
  });

  it('records epochs (a re-run epoch replaces its row) and batches, thinned on request', () => {
    const { p, runs, splitId } = projectWithSplit();
    try {
      const run = runs.create({ name: 'r', splitVersionId: splitId, config: {} });
      const epoch = (e: number, loss: number) => ({ epoch: e, trainLoss: loss, trainAccuracy: 0.5, valLoss: e % 2 ? null : loss + 0.1, valAccuracy: e % 2 ? null : 0.4, learningRate: 1e-3, seconds: 2, imagesPerSecond: 100 });
      for (let e = 1; e <= 4; e++) runs.recordEpoch(run.id, epoch(e, 1 / e));
      runs.recordEpoch(run.id, epoch(2, 0.123));
      runs.recordEpoch(run.id, { ...epoch(5, 0), trainLoss: Number.NaN, valLoss: Number.POSITIVE_INFINITY });
      const epochs = runs.epochs(run.id);
      expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5]);
      expect(epochs[1]).toEqual(epoch(2, 0.123));
      expect(epochs[2]).toMatchObject({ valLoss: null, valAccuracy: null });
      expect(epochs[4]).toMatchObject({ trainLoss: null, valLoss: null });
      expect(errorOf(() => runs.recordEpoch(run.id, epoch(-1, 1)))).toMatchObject({ field: 'epoch' });

      const batches = [];
      for (let e = 1; e <= 4; e++) for (let b = 0; b < 250; b++) batches.push({ epoch: e, batch: b, loss: e * 1000 + b, accuracy: b / 250 });
      runs.recordBatches(run.id, batches);
      expect(runs.batches(run.id)).toHaveLength(1000);
      const thin = runs.batches(run.id, { every: 100 });
      expect(thin.map((b) => [b.epoch, b.batch])).toEqual([[1, 0], [1, 100], [1, 200], [2, 50], [2, 150], [3, 0], [3, 100], [3, 200], [4, 50], [4, 150], [4, 249]]);
      expect(thin[3]!.loss).toBe(2050);
      expect(errorOf(() => runs.batches(run.id, { every: 0 }))).toMatchObject({ field: 'every' });
      // A batch list that fails halfway leaves nothing of itself behind.
      expect(() => runs.recordBatches(run.id, [{ epoch: 9, batch: 0, loss: 1, accuracy: 1 }, { epoch: 9, batch: -1, loss: 1, accuracy: 1 }])).toThrow(/batch/);
      expect(runs.batches(run.id).some((b) => b.epoch === 9)).toBe(false);

      // Resumed from the checkpoint of epoch 2: what came after is forgotten.
      runs.discardAfter(run.id, 2);
      expect(runs.epochs(run.id).map((e) => e.epoch)).toEqual([1, 2]);
      expect(new Set(runs.batches(run.id).map((b) => b.epoch))).toEqual(new Set([1, 2]));
    } finally {
      p.close();
    }
  });

  it('keeps one best and one last checkpoint per run and says which old folder is free', () => {
    const { p, runs, splitId } = projectWithSplit();
    try {
      const run = runs.create({ name: 'r', splitVersionId: splitId, config: {} });
      expect(runs.setCheckpoint(run.id, 'last', ckpt(run.id, 1))).toBeNull();
      expect(runs.setCheckpoint(run.id, 'best', ckpt(run.id, 1))).toBeNull();
      // Epoch 2 is not better: last moves on, best still holds epoch 1's folder.
      expect(runs.setCheckpoint(run.id, 'last', ckpt(run.id, 2, 'b'))).toBeNull();
      // Epoch 3 is not better either: epoch 2's folder is named by no row any more.
      expect(runs.setCheckpoint(run.id, 'last', ckpt(run.id, 3, 'c'))).toBe(`checkpoints/${run.id}/epoch-0002`);
      // Epoch 3 becomes best too: epoch 1's folder is free.
      expect(runs.setCheckpoint(run.id, 'best', ckpt(run.id, 3, 'c'))).toBe(`checkpoints/${run.id}/epoch-0001`);
      const list = runs.checkpoints(run.id);
      expect(list.map((c) => [c.kind, c.epoch, c.path])).toEqual([
        ['best', 3, `checkpoints/${run.id}/epoch-0003`],
        ['last', 3, `checkpoints/${run.id}/epoch-0003`],
      ]);
      expect(list[0]).toMatchObject({ runId: run.id, valLoss: 0.25, valAccuracy: 0.3, bytes: 1003, sha256: sha('c') });
      // Windows separators are stored the portable way.
      runs.setCheckpoint(run.id, 'last', { ...ckpt(run.id, 4), path: `checkpoints\\${run.id}\\epoch-0004` });
      expect(runs.checkpoint(run.id, 'last')!.path).toBe(`checkpoints/${run.id}/epoch-0004`);

      for (const bad of ['/etc/passwd', '../outside', 'checkpoints/../../x', 'thumbs/ab', 'C:\\x\\y']) {
        expect(errorOf(() => runs.setCheckpoint(run.id, 'last', { ...ckpt(run.id, 5), path: bad }))).toMatchObject({ code: 'invalid_request', field: 'path' });
      }
      expect(errorOf(() => runs.setCheckpoint(run.id, 'last', { ...ckpt(run.id, 5), sha256: 'xyz' }))).toMatchObject({ field: 'sha256' });
      expect(errorOf(() => runs.setCheckpoint(424242, 'last', ckpt(424242, 5)))).toMatchObject({ code: 'not_found', field: 'runId' });
    } finally {
      p.close();
    }
  });

  it('marks runs whose worker is gone as interrupted, and all active runs when a project opens', () => {
    const { p, runs, splitId } = projectWithSplit();
    const dir = p.dir;
    try {
      const alive = runs.create({ name: 'alive', splitVersionId: splitId, config: {} });
      const dead = runs.create({ name: 'dead', splitVersionId: splitId, config: {} });
      const stopping = runs.create({ name: 'stopping', splitVersionId: splitId, config: {} });
      const finished = runs.create({ name: 'finished', splitVersionId: splitId, config: {} });
      const queued = runs.create({ name: 'queued', splitVersionId: splitId, config: {} });
      runs.markRunning(alive.id, process.pid, 'wasm', null);
      const gone = deadPid();
      runs.markRunning(dead.id, gone, 'wasm', null);
      runs.markRunning(stopping.id, gone, 'wasm', null);
      runs.markStopping(stopping.id);
      runs.markRunning(finished.id, gone, 'wasm', null);
      runs.finish(finished.id, { status: 'completed', seconds: 1, epochsRun: 1, bestEpoch: 1, bestValLoss: 1, bestValAccuracy: 1, stoppedEarly: false });

      expect(processIsAlive(process.pid)).toBe(true);
      expect(processIsAlive(gone)).toBe(false);
      expect(runs.interruptOrphans(processIsAlive)).toEqual([dead.id, stopping.id]);
      expect(runs.get(dead.id)).toMatchObject({ status: 'interrupted', pid: null, stopReason: expect.stringMatching(/interrupted/) });
      expect(runs.get(alive.id)!.status).toBe('running');
      expect(runs.get(finished.id)!.status).toBe('completed');
      expect(runs.get(queued.id)!.status).toBe('queued');
      // An interrupted run can be resumed.
      expect(runs.markRunning(dead.id, process.pid, 'wasm', null).status).toBe('running');
      p.close();

      // A reopened project has no live worker of its own: every active run was interrupted.
      const again = openProject(dir);
      const reopened = new RunsRepo(again.db);
      expect(reopened.interruptOrphans(() => false)).toEqual([alive.id, dead.id]);
      expect(reopened.list().filter((r) => r.status === 'running')).toEqual([]);
      again.close();
    } finally {
      if (!p.isClosed) p.close();
    }
  });

  it('renames, annotates, and deletes a run with its members, metrics and checkpoint rows', () => {
    const { p, runs, splitId } = projectWithSplit();
    try {
      const ensemble = runs.create({ name: 'ens', kind: 'ensemble', splitVersionId: splitId, config: { members: 2 } });
      const m1 = runs.create({ name: 'm1', kind: 'member', parentRunId: ensemble.id, splitVersionId: splitId, config: {} });
      const m2 = runs.create({ name: 'm2', kind: 'member', parentRunId: ensemble.id, splitVersionId: splitId, config: {} });
      const other = runs.create({ name: 'other', splitVersionId: splitId, config: {} });
      expect(runs.members(ensemble.id).map((m) => m.id)).toEqual([m1.id, m2.id]);
      for (const r of [m1, m2, other]) {
        runs.recordEpoch(r.id, { epoch: 1, trainLoss: 1, trainAccuracy: 0.5, valLoss: 1, valAccuracy: 0.5, learningRate: 0.1, seconds: 1, imagesPerSecond: 1 });
        runs.recordBatches(r.id, [{ epoch: 1, batch: 0, loss: 1, accuracy: 0 }]);
        runs.setCheckpoint(r.id, 'best', ckpt(r.id, 1));
        runs.setCheckpoint(r.id, 'last', ckpt(r.id, 2));
      }

      expect(runs.rename(ensemble.id, '  Garden birds v2 ').name).toBe('Garden birds v2');
      expect(errorOf(() => runs.rename(ensemble.id, ''))).toMatchObject({ field: 'name' });
      expect(runs.annotate(ensemble.id, 'more flips helped').notes).toBe('more flips helped');
      expect(runs.annotate(ensemble.id, '  ').notes).toBeNull();

      runs.markRunning(m2.id, process.pid, 'wasm', null);
      expect(errorOf(() => runs.delete(ensemble.id))).toMatchObject({ code: 'conflict', message: expect.stringMatching(new RegExp(`run ${m2.id} is running`)) });
      runs.finish(m2.id, { status: 'failed', error: 'NaN loss', seconds: 1, epochsRun: 1, bestEpoch: null, bestValLoss: null, bestValAccuracy: null, stoppedEarly: false });

      const deleted = runs.delete(ensemble.id);
      expect(deleted.runIds).toEqual([ensemble.id, m1.id, m2.id]);
      expect(deleted.checkpointPaths.sort()).toEqual(
        [m1, m2].flatMap((m) => [`checkpoints/${m.id}/epoch-0001`, `checkpoints/${m.id}/epoch-0002`]).sort(),
      );
      expect(runs.list().map((r) => r.id)).toEqual([other.id]);
      const count = (table: string) => p.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
      expect([count('run_epochs'), count('run_batches'), count('checkpoints')]).toEqual([1, 1, 2]);
      expect(errorOf(() => runs.delete(ensemble.id))).toMatchObject({ code: 'not_found' });
    } finally {
      p.close();
    }
  });

  it('upgrades a schema-3 project, keeping its split versions', () => {
    const file = path.join(tempDir(), 'holdout.db');
    const old = openDatabase(file, { targetVersion: 3 });
    expect(schemaVersion(old)).toBe(3);
    new SplitsRepo(old).insert(
      { parentId: null, seed: 7, ratios: { train: 80, validation: 10, test: 10 }, grouping: [], threshold: 4, allowTest: false, report: { n: 1 } },
      new Map(),
    );
    old.close();
    const db = openDatabase(file);
    try {
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
      const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();
      expect(tables).toEqual(expect.arrayContaining(['runs', 'run_epochs', 'run_batches', 'checkpoints', 'split_versions']));
      const runs = new RunsRepo(db);
      expect(runs.create({ name: 'after upgrade', splitVersionId: 1, config: {} }).splitVersionId).toBe(1);
    } finally {
      db.close();
    }
    // Ids are never reused: a deleted run's checkpoint folder cannot be mistaken for a new run's.
    const raw = new Database(file);
    raw.pragma('foreign_keys = ON');
    raw.prepare('DELETE FROM runs').run();
    raw.close();
    const again = openDatabase(file);
    expect(new RunsRepo(again).create({ name: 'next', splitVersionId: 1, config: {} }).id).toBe(2);
    again.close();
  });
});

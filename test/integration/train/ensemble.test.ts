// An ensemble on a real small task (coloured shapes, 20 px, small CNN): three members with
// seeds derived from the ensemble's, trained one after another; the ensemble's recorded
// validation numbers are its averaged members', evaluation reports each member and the
// gain, a stopped ensemble resumes with the members still to train, and bad sizes are
// refused naming the field.
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRun } from '../../../electron/engine/evaluate/evaluate-run.js';
import { openDatabase } from '../../../electron/engine/store/database.js';
import { RunsRepo } from '../../../electron/engine/store/runs-repo.js';
import { parseTrainConfig } from '../../../electron/engine/train/config.js';
import { createRun, memberSeed } from '../../../electron/engine/train/run/create-run.js';
import type { TrainProgress } from '../../../electron/engine/train/run/progress.js';
import { runEnsemble } from '../../../electron/engine/train/run/run-ensemble.js';
import { runCli } from '../../helpers/run-cli.js';
import { writeShapesDataset } from '../../helpers/shapes-dataset.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-ensemble-');

// Few epochs and no colour cue (shapes of random hues), so members are imperfect and differ.
const CONFIG = {
  modelKind: 'small-cnn',
  inputSize: 20,
  epochs: 3,
  batchSize: 8,
  learningRate: 0.0005,
  augmentation: 'none',
  earlyStopping: { enabled: false },
  backend: 'wasm',
  seed: 11,
} as const;

let dir: string;
let db: Database.Database;

beforeAll(async () => {
  const images = await writeShapesDataset(path.join(tempDir(), 'img'), { perClass: 30, size: 20, seed: 3, colourByClass: true });
  dir = path.join(tempDir(), 'project');
  expect((await runCli(['import', images, '--project', dir])).code).toBe(0);
  expect((await runCli(['split', '--project', dir, '--seed', '5'])).code).toBe(0);
  db = openDatabase(path.join(dir, 'holdout.db'));
});
afterAll(() => db?.close());

describe('ensemble configuration', () => {
  it('refuses sizes that are not a whole number from 1 to 10, naming ensembleSize', () => {
    for (const bad of [0, 11, 2.5, '3', -1]) {
      expect(() => parseTrainConfig({ ensembleSize: bad }), String(bad)).toThrow(/field "ensembleSize"/);
      try {
        createRun(db, { ensembleSize: bad });
      } catch (err) {
        expect((err as { field?: string }).field).toBe('ensembleSize');
        continue;
      }
      throw new Error(`ensembleSize ${bad} was accepted`);
    }
    expect(parseTrainConfig({}).ensembleSize).toBe(1);
  });

  it('makes one ensemble run and M queued members with the same settings and distinct derived seeds', () => {
    const runs = new RunsRepo(db);
    const before = runs.list().length;
    const ensemble = createRun(db, { ...CONFIG, ensembleSize: 4, name: 'Four' });
    expect(ensemble).toMatchObject({ kind: 'ensemble', parentRunId: null, status: 'queued', name: 'Four' });
    const members = runs.members(ensemble.id);
    expect(members).toHaveLength(4);
    const seeds = members.map((m) => (m.config as { seed: number }).seed);
    expect(new Set(seeds).size).toBe(4);
    expect(seeds).toEqual([0, 1, 2, 3].map((i) => memberSeed(11, i)));
    expect(seeds).not.toContain(11);
    for (const [i, m] of members.entries()) {
      expect(m).toMatchObject({ kind: 'member', parentRunId: ensemble.id, splitVersionId: ensemble.splitVersionId, status: 'queued', name: `Four · member ${i + 1}` });
      const { seed: _s, name: _n, ensembleSize, ...rest } = m.config as Record<string, unknown>;
      const { seed: _es, name: _en, ensembleSize: size, ...ensembleRest } = ensemble.config as Record<string, unknown>;
      expect(ensembleSize).toBe(1);
      expect(size).toBe(4);
      expect(rest).toEqual(ensembleRest);
    }
    expect(runs.list().length).toBe(before + 5);
    runs.delete(ensemble.id);
  });
});

describe('training and evaluating an ensemble', () => {
  it('trains 3 members in turn; the ensemble records its averaged validation numbers and evaluates at least as well as its mean member', async () => {
    const runs = new RunsRepo(db);
    const ensemble = createRun(db, { ...CONFIG, ensembleSize: 3, name: 'Three' });
    const events: TrainProgress[] = [];
    const t0 = performance.now();
    const summary = await runEnsemble({ projectDir: dir, runId: ensemble.id, emit: (e) => events.push(e), shouldStop: () => false });
    const seconds = (performance.now() - t0) / 1000;
    expect(summary, JSON.stringify(summary)).toMatchObject({ runId: ensemble.id, status: 'completed', modelKind: 'small-cnn', epochsRun: 9 });
    const members = runs.members(ensemble.id);
    expect(members.map((m) => [m.status, m.epochsRun])).toEqual([
      ['completed', 3],
      ['completed', 3],
      ['completed', 3],
    ]);
    // Every event is the ensemble's, tagged with its member; one end, the ensemble's, last.
    expect(events.every((e) => e.runId === ensemble.id)).toBe(true);
    const epochs = events.filter((e) => e.type === 'epoch');
    expect(epochs.map((e) => [e.member?.index, e.member?.runId])).toEqual(
      members.flatMap((m, i) => [1, 2, 3].map(() => [i + 1, m.id])),
    );
    expect(events.filter((e) => e.type === 'end')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'end', member: null });

    const evaluation = await evaluateRun(db, dir, ensemble.id, 'validation', { backend: 'current' });
    expect(evaluation.members?.map((m) => m.runId)).toEqual(members.map((m) => m.id));
    // A member's accuracy in the ensemble evaluation is its own evaluation's.
    for (const m of members) {
      const own = await evaluateRun(db, dir, m.id, 'validation', { backend: 'current' });
      const inEnsemble = evaluation.members!.find((x) => x.runId === m.id)!;
      expect(inEnsemble.accuracy).toBeCloseTo(own.accuracy, 10);
      expect(inEnsemble.loss).toBeCloseTo(own.loss, 4);
    }
    const meanMember = evaluation.members!.reduce((a, m) => a + m.accuracy, 0) / evaluation.members!.length;
    expect(evaluation.gain).toBeCloseTo(evaluation.accuracy - meanMember, 10);
    // Averaging cannot be guaranteed to beat the mean member on every small validation set
    // (averaged probabilities can flip a borderline image either way); with this fixed seed
    // it must not lose more than one image's worth of accuracy (1 / evaluated).
    const tolerance = 1 / evaluation.evaluated;
    expect(evaluation.accuracy).toBeGreaterThanOrEqual(meanMember - tolerance);
    // The recorded ensemble numbers are the same averaged validation probabilities.
    const recorded = runs.get(ensemble.id)!;
    expect(recorded.bestValAccuracy).toBeCloseTo(evaluation.accuracy, 10);
    expect(recorded.bestValLoss).toBeCloseTo(evaluation.loss, 4);
    expect(evaluation.checkpointEpoch).toBe(0);
    console.log(
      `ensemble of 3 (${seconds.toFixed(1)} s): members ${evaluation.members!.map((m) => m.accuracy.toFixed(3)).join(', ')}; ensemble ${evaluation.accuracy.toFixed(3)} on ${evaluation.evaluated} images; gain ${evaluation.gain!.toFixed(3)}; loss ${evaluation.loss.toFixed(3)} vs ${evaluation.members!.map((m) => m.loss.toFixed(3)).join(', ')}`,
    );
  });

  it('stops during member 1 and, resumed, trains the members left; a member alone cannot be evaluated as the ensemble before', async () => {
    const runs = new RunsRepo(db);
    const ensemble = createRun(db, { ...CONFIG, epochs: 2, ensembleSize: 2, name: 'Stopped' });
    let stop = false;
    const first = await runEnsemble({
      projectDir: dir,
      runId: ensemble.id,
      emit: (e) => {
        if (e.type === 'epoch' && e.member?.index === 1) stop = true;
      },
      shouldStop: () => stop,
    });
    expect(first.status).toBe('stopped');
    const [m1, m2] = runs.members(ensemble.id);
    expect(m1!.status).toBe('stopped');
    expect(m2!.status).toBe('queued');
    await expect(evaluateRun(db, dir, ensemble.id, 'validation', { backend: 'current' })).rejects.toThrow(/not fully trained: members? .*resume the ensemble/);

    const events: TrainProgress[] = [];
    const resumed = await runEnsemble({ projectDir: dir, runId: ensemble.id, emit: (e) => events.push(e), shouldStop: () => false });
    expect(resumed, JSON.stringify(resumed)).toMatchObject({ status: 'completed', epochsRun: 4 });
    expect(runs.members(ensemble.id).map((m) => [m.status, m.epochsRun])).toEqual([
      ['completed', 2],
      ['completed', 2],
    ]);
    // Member 1 continued from its checkpoint (after epoch 1), it did not start over.
    expect(events.some((e) => e.type === 'status' && e.member?.index === 1 && /Resumed after epoch 1/.test(e.message))).toBe(true);
    expect(events.filter((e) => e.type === 'epoch').map((e) => [e.member!.index, e.epoch])).toEqual([
      [1, 2],
      [2, 1],
      [2, 2],
    ]);
    expect(runs.get(ensemble.id)!.bestValAccuracy).not.toBeNull();
  });
});

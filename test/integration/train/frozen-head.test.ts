// The default path for photos: frozen features of the bundled backbone, cached on disk,
// and a small head. Real images (shapes rendered at photo-like size), the real bundled
// backbone, in-process (the worker is exercised by the CLI tests). Also checks the
// lockbox: no test image is ever read for training.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/engine/store/database.js';
import { loadTrainingSet } from '../../../electron/engine/train/data/training-set.js';
import { createRun } from '../../../electron/engine/train/run/create-run.js';
import type { TrainProgress } from '../../../electron/engine/train/run/progress.js';
import { runTraining } from '../../../electron/engine/train/run/run-training.js';
import { runCli } from '../../helpers/run-cli.js';
import { writeShapesDataset } from '../../helpers/shapes-dataset.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-frozen-');

// The feature pool has one wasm instance per core (at most 8); the head trains on the training thread alone.
const poolThreads = Math.min(8, os.availableParallelism());
const threads = (n: number) => `${n} thread${n === 1 ? '' : 's'}`;

async function train(project: string, config: unknown): Promise<{ events: TrainProgress[]; summary: Awaited<ReturnType<typeof runTraining>> }> {
  const db = openDatabase(path.join(project, 'holdout.db'));
  const run = createRun(db, config);
  db.close();
  const events: TrainProgress[] = [];
  const summary = await runTraining({ projectDir: project, runId: run.id, emit: (e) => events.push(e), shouldStop: () => false });
  return { events, summary };
}

describe('frozen backbone + head (the default for photos)', () => {
  let project: string;
  beforeAll(async () => {
    const images = await writeShapesDataset(path.join(tempDir(), 'photos'), { perClass: 14, size: 96, colourByClass: true, shapes: ['circle', 'square'] });
    project = path.join(tempDir(), 'project');
    expect((await runCli(['import', images, '--project', project])).code).toBe(0);
    expect((await runCli(['split', '--project', project, '--seed', '3'])).code).toBe(0);
  });

  it('chooses transfer learning for photo-sized images, trains a head on cached features, and reuses them in the next run', async () => {
    const config = { epochs: 6, batchSize: 8, seed: 1, augmentViews: 1, earlyStopping: { enabled: false } };
    const first = await train(project, config);
    // Each phase with the wasm instances that computed it, never one number for both.
    const phased = poolThreads === 1 ? 'CPU (WebAssembly, 1 thread)' : `CPU (WebAssembly, ${threads(poolThreads)} extracting features, 1 thread training)`;
    expect(first.summary).toMatchObject({ status: 'completed', modelKind: 'frozen-head', epochsRun: 6, backend: phased });
    const featureLabels = new Set(first.events.filter((e) => e.type === 'phase' && e.phase === 'features').map((e) => e.backend));
    expect([...featureLabels]).toEqual([`CPU (WebAssembly, ${threads(poolThreads)})`]);
    const trainingLabels = new Set(first.events.filter((e) => e.type === 'batch' || e.type === 'epoch').map((e) => e.backend));
    expect([...trainingLabels]).toEqual(['CPU (WebAssembly, 1 thread)']);
    expect(first.summary.bestValAccuracy).toBeGreaterThanOrEqual(0.8);
    const reason = first.events.find((e) => e.type === 'status' && e.message.startsWith('Model:'));
    expect(reason && reason.type === 'status' && reason.message).toMatch(/transfer learning from the bundled backbone/);
    const computedFirst = first.events.filter((e) => e.type === 'phase' && e.phase === 'features' && e.imagesPerSecond !== null);
    expect(computedFirst.length).toBeGreaterThan(0);

    const cacheRoot = path.join(project, 'cache', 'features');
    const keys = fs.readdirSync(cacheRoot).filter((d) => !d.startsWith('.'));
    expect(keys).toHaveLength(2); // view 0 and one augmented view
    const db = openDatabase(path.join(project, 'holdout.db'));
    const set = loadTrainingSet(db, 1);
    const test = db.prepare("SELECT i.sha256 FROM split_assignments a JOIN images i ON i.id = a.image_id WHERE a.split = 'test'").pluck().all() as string[];
    db.close();
    const cached = new Set(keys.flatMap((k) => fs.readdirSync(path.join(cacheRoot, k)).filter((d) => d.length === 2).flatMap((d) => fs.readdirSync(path.join(cacheRoot, k, d)).map((f) => f.slice(0, 64)))));
    // Train and validation images have features; test images were never read.
    for (const item of [...set.train, ...set.validation]) expect(cached.has(item.sha256)).toBe(true);
    expect(test.length).toBeGreaterThan(0);
    for (const sha of test) expect(cached.has(sha)).toBe(false);

    const second = await train(project, config);
    // Served from the cache, the pool computed nothing: the label does not claim its threads.
    expect(second.summary).toMatchObject({ status: 'completed', backend: 'CPU (WebAssembly, 1 thread)' });
    // Everything came from the cache: no feature was computed again.
    expect(second.events.filter((e) => e.type === 'phase' && e.phase === 'features' && e.imagesPerSecond !== null)).toEqual([]);
    expect(second.summary.bestValAccuracy).toBeGreaterThanOrEqual(0.8);
  });
});

// A small CNN trained from scratch on wasm runs data-parallel (a gradient worker beside
// the training thread) through the app's own run code: the run says so in its backend
// label, repeats exactly with the same seed (dropout masks seeded per batch and shard),
// continues an interrupted run to the very same numbers, and leaves no worker thread
// behind when it completes, is stopped or fails. Real images, real SQLite, real worker threads.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/engine/store/database.js';
import { RunsRepo } from '../../../electron/engine/store/runs-repo.js';
import { liveGradientWorkers } from '../../../electron/engine/train/parallel/data-parallel-trainer.js';
import { createRun } from '../../../electron/engine/train/run/create-run.js';
import type { TrainProgress } from '../../../electron/engine/train/run/progress.js';
import { runTraining, type RunTrainingOptions } from '../../../electron/engine/train/run/run-training.js';
import { runCli } from '../../helpers/run-cli.js';
import { writeShapesDataset } from '../../helpers/shapes-dataset.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-parallel-');
// Dropout on (the default 0.3 is spelled out): without seeded masks two runs would differ.
const CONFIG = { modelKind: 'small-cnn', epochs: 2, batchSize: 8, seed: 4, dropout: 0.3, inputSize: 16, earlyStopping: { enabled: false } };

interface Trained {
  runId: number;
  events: TrainProgress[];
  summary: Awaited<ReturnType<typeof runTraining>>;
  /** Gradient workers alive while the first batch was reported. */
  workersDuringRun: number | null;
}

async function train(project: string, opts: Partial<RunTrainingOptions> & { runId?: number } = {}): Promise<Trained> {
  let runId = opts.runId;
  if (runId === undefined) {
    const db = openDatabase(path.join(project, 'holdout.db'));
    runId = createRun(db, CONFIG).id;
    db.close();
  }
  const events: TrainProgress[] = [];
  let workersDuringRun: number | null = null;
  const summary = await runTraining({
    projectDir: project,
    runId,
    shouldStop: () => false,
    ...opts,
    emit: (e) => {
      if (e.type === 'batch' && workersDuringRun === null) workersDuringRun = liveGradientWorkers();
      events.push(e);
      opts.emit?.(e);
    },
  });
  return { runId, events, summary, workersDuringRun };
}

function epochsOf(project: string, runId: number) {
  const db = openDatabase(path.join(project, 'holdout.db'));
  try {
    const repo = new RunsRepo(db);
    return { run: repo.get(runId)!, epochs: repo.epochs(runId).map((e) => ({ epoch: e.epoch, trainLoss: e.trainLoss, valLoss: e.valLoss })) };
  } finally {
    db.close();
  }
}

describe('data-parallel training of a from-scratch model', () => {
  let project: string;
  beforeAll(async () => {
    const images = await writeShapesDataset(path.join(tempDir(), 'img'), { perClass: 16, size: 16, shapes: ['circle', 'square'] });
    project = path.join(tempDir(), 'project');
    expect((await runCli(['import', images, '--project', project])).code).toBe(0);
    expect((await runCli(['split', '--project', project, '--seed', '2'])).code).toBe(0);
  });

  // Each parallel run starts a worker (seconds on a loaded machine): three of them here.
  let first: Trained;
  it('trains on two wasm instances, says so everywhere, and a Stop ends its worker', async () => {
    // Stop pressed during the last epoch's validation: both epochs are recorded, the
    // run ends 'stopped' through the loop's stop path.
    let lastEpochDone = false;
    first = await train(project, {
      trainThreads: 2,
      shouldStop: () => lastEpochDone,
      emit: (e) => {
        if (e.type === 'epoch' && e.epoch === 2) lastEpochDone = true;
      },
    });
    expect(first.summary, JSON.stringify(first.summary)).toMatchObject({ status: 'stopped', modelKind: 'small-cnn', epochsRun: 2, backend: 'CPU (WebAssembly, 2 threads)' });
    expect(first.workersDuringRun).toBe(1);
    expect(liveGradientWorkers()).toBe(0);
    const labels = new Set(first.events.filter((e) => e.type === 'batch' || e.type === 'epoch').map((e) => e.backend));
    expect([...labels]).toEqual(['CPU (WebAssembly, 2 threads)']);
    const { run, epochs } = epochsOf(project, first.runId);
    expect(run.backend).toBe('CPU (WebAssembly, 2 threads)');
    expect(run.backendDetail).toMatchObject({ id: 'wasm', threads: 2 });
    expect(epochs).toHaveLength(2);
  });

  it('repeats exactly on the training thread alone too (HOLDOUT_TRAIN_THREADS=1)', async () => {
    const a = await train(project, { trainThreads: 1 });
    expect(a.summary.backend).toBe('CPU (WebAssembly, 1 thread)');
    expect(a.workersDuringRun).toBe(0);
    const b = await train(project, { trainThreads: 1 });
    expect(epochsOf(project, b.runId).epochs).toEqual(epochsOf(project, a.runId).epochs);
  });

  // Epoch 1 of the failed run repeats the first run's (same seed); epoch 2, resumed from
  // its checkpoint with a new trainer, continues to the first run's very numbers.
  it('a run that fails in its second epoch ends its worker, and resumes to the numbers of the run never interrupted', async () => {
    const failed = await train(project, {
      trainThreads: 2,
      emit: (e) => {
        if (e.type === 'batch' && e.epoch === 2) throw new Error('the event sink broke');
      },
    });
    expect(failed.summary).toMatchObject({ status: 'failed', error: 'the event sink broke' });
    expect(failed.workersDuringRun).toBe(1);
    expect(liveGradientWorkers()).toBe(0);
    expect(epochsOf(project, failed.runId).epochs).toEqual(epochsOf(project, first.runId).epochs.slice(0, 1));
    const resumed = await train(project, { runId: failed.runId, trainThreads: 2 });
    expect(resumed.summary).toMatchObject({ status: 'completed', epochsRun: 2 });
    expect(resumed.events.some((e) => e.type === 'status' && e.message === 'Resumed after epoch 1')).toBe(true);
    expect(epochsOf(project, failed.runId).epochs).toEqual(epochsOf(project, first.runId).epochs);
  });
});

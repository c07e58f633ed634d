// One training run from its record to its result: choose the backend, read the split,
// resolve the defaults, build the model, prepare the data, loop, and record every epoch
// and checkpoint so that a stop, a crash or a restart loses at most the epoch in flight.
// Runs inside the training worker (train-worker.ts); the caller created the run record.
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import * as tf from '@tensorflow/tfjs';
import { ApiError } from '../../../api/errors.js';
import { openDatabase } from '../../store/database.js';
import { RunsRepo, type Run } from '../../store/runs-repo.js';
import { featuresThenTrainingLabel, selectBackend, withThreads, type BackendChoice } from '../backend/select-backend.js';
import { readCheckpoint, removeCheckpoint, tidyCheckpointFolder, writeCheckpoint } from '../checkpoints/checkpoint-files.js';
import { artifactsOf, modelFromArtifacts } from '../checkpoints/to-model.js';
import { defaultLearningRate, parseTrainConfig, type TrainConfig } from '../config.js';
import { loadTrainingSet } from '../data/training-set.js';
import { defaultExtractWorkers } from '../features/extract-pool.js';
import { makeOptimizer } from '../optimizers/make-optimizer.js';
import { restoreOptimizerState, saveOptimizerState } from '../optimizers/optimizer-state.js';
import { DataParallelTrainer, dataParallelObstacle } from '../parallel/data-parallel-trainer.js';
import { TRAIN_THREADS_ENV, chooseTrainThreads } from '../parallel/train-threads.js';
import { prepareModel } from './prepare-model.js';
import { runSummary, type RunSummary, type TrainProgress } from './progress.js';
import { runLoop, type EpochRecord, type LoopEnd } from './train-loop.js';

export interface RunTrainingOptions {
  projectDir: string;
  runId: number;
  emit(event: TrainProgress): void;
  shouldStop(): boolean;
  /**
   * Stands in for the HOLDOUT_TRAIN_THREADS environment variable (wasm instances computing
   * the steps of a from-scratch model; 1 = the training thread alone).
   */
  trainThreads?: number;
}

export const CHECKPOINTS_DIR = 'checkpoints';

/** Saved with every checkpoint: enough to continue exactly where it was, and to use the model alone. */
export interface CheckpointState {
  runId: number;
  epoch: number;
  seed: number;
  modelKind: string;
  /** How images become the model's input (the same decode for training, evaluation and prediction). */
  input: { size: number; channels: 1 | 3; resize: 'fill' | 'cover'; backboneId: string | null };
  /** Class names in output order. */
  classes: string[];
  /** Seconds spent before this checkpoint, so a resumed run reports its whole time. */
  seconds: number;
}

function toEpochRecord(e: ReturnType<RunsRepo['epochs']>[number]): EpochRecord {
  return {
    epoch: e.epoch,
    trainLoss: e.trainLoss ?? NaN,
    trainAccuracy: e.trainAccuracy ?? NaN,
    valLoss: e.valLoss,
    valAccuracy: e.valAccuracy,
    learningRate: e.learningRate ?? NaN,
    seconds: e.seconds ?? 0,
    imagesPerSecond: e.imagesPerSecond ?? 0,
  };
}

export async function runTraining(opts: RunTrainingOptions): Promise<RunSummary> {
  const db = openDatabase(path.join(opts.projectDir, 'holdout.db'));
  const runs = new RunsRepo(db);
  const started = performance.now();
  let run: Run = runs.get(opts.runId) ?? (() => {
    throw new ApiError('not_found', `run ${opts.runId} does not exist`, 'run');
  })();
  let backend: BackendChoice | null = null;
  let trainer: DataParallelTrainer | null = null;
  let secondsBefore = 0;
  const label = () => backend?.label ?? 'not chosen yet';
  const elapsed = () => secondsBefore + (performance.now() - started) / 1000;


  try {
    // The stored configuration also holds what the defaults resolved to ('resolved'); on a
    // resume they are resolved again from the same data, so only the user's part is parsed.
    const { resolved: _resolved, ...stored } = run.config as Record<string, unknown>;
    const config: TrainConfig = parseTrainConfig(stored);
    const seed = config.seed ?? 0;
    backend = await selectBackend(config.backend);
    run = runs.markRunning(run.id, process.pid, backend.label, { id: backend.id, threads: backend.threads, skipped: backend.skipped });
    opts.emit({ type: 'status', runId: run.id, backend: backend.label, status: 'running', message: `Training on: ${backend.label}` });

    const set = loadTrainingSet(db, run.splitVersionId);
    // Features are extracted by a pool prepareModel starts on wasm with the default size
    // (one instance per core; the training thread only decodes meanwhile): that phase's
    // events name that count. Other backends compute the features on their own threads.
    const selected = backend;
    const featureThreads = selected.id === 'wasm' ? defaultExtractWorkers() : selected.threads;
    let extractedFeatures = false;
    const prepared = await prepareModel({
      projectDir: opts.projectDir,
      config,
      set,
      seed,
      onPhase: (phase, done, total, imagesPerSecond) => {
        // Only features computed count: a run served from the cache used no pool thread.
        extractedFeatures ||= phase === 'features' && imagesPerSecond !== null;
        const label = phase === 'features' ? withThreads(selected, featureThreads).label : selected.label;
        opts.emit({ type: 'phase', runId: run.id, backend: label, phase, done, total, imagesPerSecond });
      },
    });
    const { model, feeder } = prepared;

    // From-scratch models on wasm train data-parallel over the cores (parallel/train-threads.ts
    // says how many and why). The count is fixed for the run and stored with it: a
    // different count rounds differently, so a seeded run repeats exactly with the same one.
    const threads = chooseTrainThreads({
      backend: selected.id,
      modelKind: prepared.modelKind,
      obstacle: feeder.feeds ? 'a frozen trunk feeds the trained top' : dataParallelObstacle(model),
      cores: os.availableParallelism(),
      env: opts.trainThreads !== undefined ? String(opts.trainThreads) : process.env[TRAIN_THREADS_ENV],
    });
    let threadsReason = threads.reason;
    if (threads.workers > 0) {
      try {
        trainer = await DataParallelTrainer.start(model, { workers: threads.workers, backend: 'wasm' });
      } catch (err) {
        // Fewer threads is slower, not wrong: the run goes on with the training thread alone.
        threadsReason = `gradient workers could not start (${err instanceof Error ? err.message : String(err)}): the training thread alone`;
        opts.emit({ type: 'status', runId: run.id, backend: selected.label, status: 'running', message: `Training on one thread: ${threadsReason}` });
      }
    }
    backend = withThreads(selected, trainer?.threads ?? 1);
    const runLabel = extractedFeatures ? featuresThenTrainingLabel(selected, featureThreads, backend.threads) : backend.label;
    run = runs.setBackend(run.id, runLabel, {
      id: backend.id,
      threads: backend.threads,
      ...(extractedFeatures ? { featureThreads } : {}),
      threadsReason,
      skipped: backend.skipped,
    });
    const learningRate = config.learningRate ?? defaultLearningRate(prepared.modelKind, config.optimizer);
    run = runs.recordResolvedConfig(run.id, prepared.modelKind, {
      modelKind: prepared.modelKind,
      reason: prepared.reason,
      inputSize: prepared.inputSize,
      channels: prepared.channels,
      resize: prepared.resize,
      backbone: prepared.backboneId,
      augmentation: prepared.augmentation,
      learningRate,
      classes: set.classes.map((c) => c.name),
    });
    opts.emit({ type: 'status', runId: run.id, backend: backend.label, status: 'running', message: `Model: ${prepared.reason}` });
    if (backend.label !== selected.label) opts.emit({ type: 'status', runId: run.id, backend: backend.label, status: 'running', message: `Training on: ${backend.label}` });
    const optimizer = makeOptimizer({
      kind: config.optimizer,
      learningRate,
      weightDecay: config.optimizer === 'adam' ? 0 : config.weightDecay,
      momentum: config.momentum,
    });

    // Resume: continue after the last checkpoint, with its weights and optimizer state.
    // Epochs recorded after it (the process died before the next checkpoint) are redone.
    let history: EpochRecord[] = [];
    // What a killed process left half-done in this run's folder goes first (this worker is
    // the run's only writer now): temporary writes, and epoch folders no row names.
    await tidyCheckpointFolder(
      path.join(opts.projectDir, CHECKPOINTS_DIR, String(run.id)),
      runs.checkpoints(run.id).map((c) => c.path),
    );
    const last = runs.checkpoint(run.id, 'last');
    if (last) {
      const saved = await readCheckpoint(path.join(opts.projectDir, last.path));
      const state = saved.state as CheckpointState;
      const restored = await modelWeightsFrom(saved.modelArtifacts);
      model.setWeights(restored);
      tf.dispose(restored);
      if (saved.optimizer) await restoreOptimizerState(optimizer, saved.optimizer);
      secondsBefore = state.seconds;
      runs.discardAfter(run.id, state.epoch);
      history = runs.epochs(run.id).map(toEpochRecord);
      opts.emit({ type: 'status', runId: run.id, backend: backend.label, status: 'running', message: `Resumed after epoch ${state.epoch}` });
    } else {
      runs.discardAfter(run.id, 0);
    }

    let bestWeights: tf.Tensor[] | null = null;
    let pendingBatches: { epoch: number; batch: number; loss: number; accuracy: number }[] = [];
    let lastBatchEmit = 0;
    const epochSeconds: number[] = history.map((h) => h.seconds);
    const eta = (epoch: number, fraction: number) => {
      const per = epochSeconds.length ? epochSeconds.reduce((a, b) => a + b) / epochSeconds.length : null;
      return per === null ? null : per * (config.epochs - epoch + 1 - fraction);
    };

    const trainable = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const end: LoopEnd = await runLoop({
      model,
      optimizer,
      feeder,
      config,
      learningRate,
      seed,
      history,
      step: trainer ? (x, y, dropoutSeed) => trainer!.step(optimizer, trainable, x, y, dropoutSeed) : undefined,
      hooks: {
        shouldStop: opts.shouldStop,
        onBatch(b) {
          pendingBatches.push({ epoch: b.epoch, batch: b.batch, loss: b.loss, accuracy: b.accuracy });
          const now = performance.now();
          // At most ~5 batch events a second: a dashboard needs no more, and SSE must not flood.
          if (now - lastBatchEmit > 200 || b.batch === b.batches) {
            lastBatchEmit = now;
            opts.emit({ type: 'batch', runId: run.id, backend: backend!.label, etaSeconds: eta(b.epoch, b.batch / b.batches), ...b });
          }
        },
        async onEpoch(record, verdict) {
          epochSeconds.push(record.seconds);
          // Files first, then the rows that point at them, in one transaction: a crash in
          // between leaves an unreferenced folder (removed later), never a row without files.
          const rel = path.join(CHECKPOINTS_DIR, String(run.id), `epoch-${String(record.epoch).padStart(4, '0')}`);
          const state: CheckpointState = {
            runId: run.id,
            epoch: record.epoch,
            seed,
            modelKind: prepared.modelKind,
            input: { size: prepared.inputSize, channels: prepared.channels, resize: prepared.resize, backboneId: prepared.backboneId },
            classes: set.classes.map((c) => c.name),
            seconds: elapsed(),
          };
          const written = await writeCheckpoint(path.join(opts.projectDir, CHECKPOINTS_DIR, String(run.id)), path.basename(rel), {
            modelArtifacts: await artifactsOf(model),
            optimizer: await saveOptimizerState(optimizer),
            state,
          });
          const info = { epoch: record.epoch, path: rel, valLoss: record.valLoss, valAccuracy: record.valAccuracy, bytes: written.bytes, sha256: written.sha256 };
          const freed: string[] = [];
          db.transaction(() => {
            runs.recordEpoch(run.id, record);
            runs.recordBatches(run.id, pendingBatches);
            const a = runs.setCheckpoint(run.id, 'last', info);
            if (a) freed.push(a);
            if (verdict.improved) {
              const b = runs.setCheckpoint(run.id, 'best', info);
              if (b) freed.push(b);
            }
          })();
          pendingBatches = [];
          await removeCheckpointFolders(opts.projectDir, freed);
          if (verdict.improved) {
            tf.dispose(bestWeights ?? []);
            bestWeights = model.getWeights().map((w) => w.clone());
          }
          opts.emit({
            type: 'epoch',
            runId: run.id,
            backend: backend!.label,
            improved: verdict.improved,
            bestEpoch: verdict.bestEpoch,
            etaSeconds: verdict.stop ? 0 : eta(record.epoch + 1, 0),
            ...record,
          });
        },
      },
    });

    // Keras's restore_best_weights: the model of record is the best epoch's. The best
    // checkpoint already holds it on disk; in memory too, so later steps use it.
    if (bestWeights) {
      model.setWeights(bestWeights);
      tf.dispose(bestWeights);
    }
    const epochs = runs.epochs(run.id);
    const best = epochs.find((e) => e.epoch === end.bestEpoch);
    const outcome = {
      seconds: elapsed(),
      epochsRun: end.epochsRun,
      bestEpoch: end.bestEpoch,
      bestValLoss: best?.valLoss ?? null,
      bestValAccuracy: best?.valAccuracy ?? null,
      stoppedEarly: end.reason === 'early-stop',
    };
    if (end.reason === 'diverged') run = runs.finish(run.id, { ...outcome, status: 'failed', error: end.message, stopReason: 'diverged' });
    else if (end.reason === 'stopped') run = runs.finish(run.id, { ...outcome, status: 'stopped', stopReason: 'stopped by the user' });
    else
      run = runs.finish(run.id, {
        ...outcome,
        status: 'completed',
        stopReason: end.reason === 'early-stop' ? `early stopping: no improvement of ${config.earlyStopping.monitor} for ${config.earlyStopping.patience} validations` : 'all epochs done',
      });
    // Freeing memory is not part of the result: the run is recorded already, and a
    // failure here must not turn a finished run into a failed one.
    try {
      model.dispose();
      optimizer.dispose();
      prepared.dispose();
    } catch {
      // The worker ends with the run; its memory goes with it.
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    run = runs.finish(run.id, {
      status: 'failed',
      error: message,
      seconds: elapsed(),
      epochsRun: runs.epochs(run.id).length,
      bestEpoch: run.bestEpoch,
      bestValLoss: run.bestValLoss,
      bestValAccuracy: run.bestValAccuracy,
      stoppedEarly: false,
    });
  } finally {
    try {
      // Stopped, failed or done: the gradient workers end with the run, never later.
      await trainer?.close();
    } finally {
      db.close();
    }
  }
  const s = runSummary(run, { backend: label(), seconds: elapsed() });
  opts.emit({ type: 'end', runId: run.id, backend: s.backend, summary: s });
  return s;
}

async function modelWeightsFrom(artifacts: tf.io.ModelArtifacts): Promise<tf.Tensor[]> {
  const m = await modelFromArtifacts(artifacts);
  const weights = m.getWeights().map((w) => w.clone());
  m.dispose();
  return weights;
}

async function removeCheckpointFolders(projectDir: string, rels: string[]): Promise<void> {
  for (const rel of rels) await removeCheckpoint(path.join(projectDir, rel));
}

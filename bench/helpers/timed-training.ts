// One training run through the same path as `holdout train` (createRun, then
// startTraining's worker thread), timed from its progress events: how long the
// preparation phases took, how fast features were extracted and the model trained,
// and what the run reached. An optional budget stops the run (after the batch in
// flight) once that many seconds have passed; the best epoch so far is kept.
import type Database from 'better-sqlite3';
import { createRun } from '../../electron/engine/train/run/create-run.js';
import type { RunSummary, TrainPhase, TrainProgress } from '../../electron/engine/train/run/progress.js';
import { startTraining } from '../../electron/engine/train/train-host.js';

export interface TrainingFigures {
  summary: RunSummary;
  /** Seconds per preparation phase (first to last event of that phase). */
  phaseSeconds: Partial<Record<TrainPhase, number>>;
  /** From the run's start (backend chosen) to the end of decoding: reading the data facts and decoding every image. */
  decodeSeconds: number | null;
  featureImagesPerSecond: number | null;
  /** Images through the model per second of training (all epochs; validation and checkpoints excluded). */
  trainImagesPerSecond: number | null;
  /** From the end of preparation to the run's end: epochs, validation, checkpoints. */
  trainSeconds: number;
  /** From createRun to the run's end. */
  totalSeconds: number;
  stoppedByBudget: boolean;
  epochs: { epoch: number; valAccuracy: number | null; valLoss: number | null; trainAccuracy: number; seconds: number }[];
}

const now = () => performance.now() / 1000;

export async function timedTraining(opts: {
  db: Database.Database;
  projectDir: string;
  config: Record<string, unknown>;
  /** Training images the run sees per epoch (to turn per-epoch rates into one rate). */
  trainImages: number;
  budgetSeconds?: number;
  log(msg: string): void;
}): Promise<TrainingFigures> {
  const t0 = now();
  const run = createRun(opts.db, opts.config);
  const phaseStart: Partial<Record<TrainPhase, number>> = {};
  const phaseEnd: Partial<Record<TrainPhase, number>> = {};
  let runningAt: number | null = null;
  let featureIps: number | null = null;
  let imagesTrained = 0;
  let epochTrainSeconds = 0;
  let lastLog = 0;
  const epochs: TrainingFigures['epochs'] = [];
  const onEvent = (e: TrainProgress) => {
    const t = now();
    if (e.type === 'status') {
      runningAt ??= t;
      opts.log(`run ${e.runId}: ${e.message}`);
    } else if (e.type === 'phase') {
      phaseStart[e.phase] ??= t;
      phaseEnd[e.phase] = t;
      if (e.phase === 'features' && e.imagesPerSecond !== null) featureIps = e.imagesPerSecond;
      if (t - lastLog > 5 || e.done === e.total) {
        lastLog = t;
        opts.log(`  ${e.phase} ${e.done}/${e.total}${e.imagesPerSecond === null ? '' : `, ${e.imagesPerSecond.toFixed(1)} img/s`}`);
      }
    } else if (e.type === 'batch') {
      if (t - lastLog > 10) {
        lastLog = t;
        opts.log(`  epoch ${e.epoch} batch ${e.batch}/${e.batches}: loss ${e.loss.toFixed(3)}, ${e.imagesPerSecond.toFixed(0)} img/s`);
      }
    } else if (e.type === 'epoch') {
      // The record's seconds include validation; its rate is over the training steps alone.
      if (e.imagesPerSecond > 0) {
        imagesTrained += opts.trainImages;
        epochTrainSeconds += opts.trainImages / e.imagesPerSecond;
      }
      epochs.push({ epoch: e.epoch, valAccuracy: e.valAccuracy, valLoss: e.valLoss, trainAccuracy: e.trainAccuracy, seconds: e.seconds });
      opts.log(
        `  epoch ${e.epoch}: train acc ${(e.trainAccuracy * 100).toFixed(1)}%, val acc ${((e.valAccuracy ?? NaN) * 100).toFixed(1)}%, ` +
          `val loss ${(e.valLoss ?? NaN).toFixed(4)}${e.improved ? ' (best)' : ''}, ${e.seconds.toFixed(1)} s, ${e.imagesPerSecond.toFixed(0)} img/s`,
      );
    }
  };
  const handle = startTraining({ db: opts.db, projectDir: opts.projectDir, runId: run.id, onEvent });
  let stoppedByBudget = false;
  const timer =
    opts.budgetSeconds === undefined
      ? undefined
      : setTimeout(() => {
          stoppedByBudget = true;
          opts.log(`run ${run.id}: time budget of ${opts.budgetSeconds} s reached, stopping after the batch in flight`);
          handle.stop();
        }, opts.budgetSeconds * 1000);
  const summary = await handle.done;
  clearTimeout(timer);
  const end = now();
  if (summary.status === 'failed' || summary.status === 'interrupted') throw new Error(`run ${run.id} ${summary.status}: ${summary.error ?? ''}`);
  const phaseSeconds: TrainingFigures['phaseSeconds'] = {};
  for (const p of Object.keys(phaseStart) as TrainPhase[]) phaseSeconds[p] = phaseEnd[p]! - phaseStart[p]!;
  const prepEnd = Math.max(runningAt ?? t0, ...Object.values(phaseEnd));
  return {
    summary,
    phaseSeconds,
    decodeSeconds: phaseEnd.decoding !== undefined && runningAt !== null ? phaseEnd.decoding - runningAt : null,
    featureImagesPerSecond: featureIps,
    trainImagesPerSecond: epochTrainSeconds > 0 ? imagesTrained / epochTrainSeconds : null,
    trainSeconds: end - prepEnd,
    totalSeconds: end - t0,
    stoppedByBudget,
    epochs,
  };
}

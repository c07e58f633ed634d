// The epoch/batch loop shared by every model kind. It owns the order of batches, the
// optimizer steps, validation, the early-stopping decision and keeping the best
// weights; what happens to the numbers (database, checkpoints, progress events) is
// the caller's, through `hooks`. Stopping is cooperative: `shouldStop` is checked
// after every batch, so Stop finishes the batch in flight and nothing is half-done.
import * as tf from '@tensorflow/tfjs';
import { decideEarlyStop } from '../callbacks/early-stopping.js';
import { checkFinite } from '../callbacks/nan-guard.js';
import type { TrainConfig } from '../config.js';
import { batchDropoutSeed, shardDropoutSeed, withDropoutSeeds } from '../parallel/seeded-dropout.js';
import type { Feeder } from './feeders.js';
import { correctCount, crossEntropy } from './metrics.js';
import { deriveSeed, shuffledIndices } from './seeds.js';

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
  learningRate: number;
  seconds: number;
  imagesPerSecond: number;
}

export interface BatchRecord {
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
  imagesPerSecond: number;
}

export interface EpochVerdict {
  improved: boolean;
  bestEpoch: number | null;
  stop: boolean;
}

export interface LoopHooks {
  shouldStop(): boolean;
  onBatch?(record: BatchRecord): void;
  /** Called after each epoch, before the next starts; awaited (checkpoints are written here). */
  onEpoch(record: EpochRecord, verdict: EpochVerdict): Promise<void>;
}

export type LoopEnd =
  | { reason: 'completed'; bestEpoch: number | null; epochsRun: number }
  | { reason: 'early-stop'; bestEpoch: number | null; epochsRun: number }
  | { reason: 'stopped'; bestEpoch: number | null; epochsRun: number }
  | { reason: 'diverged'; bestEpoch: number | null; epochsRun: number; message: string };

export interface LoopInput {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  feeder: Feeder;
  config: Pick<TrainConfig, 'epochs' | 'batchSize' | 'validateEvery' | 'earlyStopping'>;
  learningRate: number;
  seed: number;
  /** Epochs already done (on resume), oldest first; the loop continues after the last. */
  history: EpochRecord[];
  hooks: LoopHooks;
  /**
   * One optimizer step over the batch (x, one-hot y), used instead of optimizer.minimize
   * over the whole batch (e.g. DataParallelTrainer.step). It must draw its dropout masks
   * from `dropoutSeed` (seeded-dropout.ts). It neither keeps nor frees x and y.
   */
  step?(x: tf.Tensor, y: tf.Tensor, dropoutSeed: number): Promise<{ loss: number; correct: number }>;
}

/** Mean loss and accuracy of the model (or of the top the feeder feeds) over the validation items, in batches. */
export async function evaluateFeeder(whole: tf.LayersModel, feeder: Feeder, batchSize: number): Promise<{ loss: number; accuracy: number }> {
  const model = feeder.feeds ?? whole;
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < feeder.validationCount; start += batchSize) {
    const end = Math.min(feeder.validationCount, start + batchSize);
    const { x, y } = await feeder.validationBatch(start, end);
    const [l, c] = tf.tidy(() => {
      const p = model.apply(x, { training: false }) as tf.Tensor;
      return [tf.mul(crossEntropy(p, y), end - start), correctCount(p, y)];
    });
    lossSum += (await l!.data())[0]!;
    correct += (await c!.data())[0]!;
    tf.dispose([x, y, l!, c!]);
  }
  const n = feeder.validationCount;
  return { loss: lossSum / n, accuracy: correct / n };
}

function monitored(r: EpochRecord, monitor: 'val_loss' | 'val_accuracy'): number | null {
  return monitor === 'val_loss' ? r.valLoss : r.valAccuracy;
}

export async function runLoop(input: LoopInput): Promise<LoopEnd> {
  const { optimizer, feeder, config, hooks } = input;
  // A feeder that runs a frozen trunk itself hands over the top's input: the step then
  // minimises over the top alone, whose weights are the model's (see trunk-feeder.ts).
  const model = feeder.feeds ?? input.model;
  const es = config.earlyStopping;
  const history = [...input.history];
  const trainable = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const batchesPerEpoch = Math.ceil(feeder.trainCount / config.batchSize);
  let bestEpoch = decide(history).bestEpoch;

  function decide(h: EpochRecord[]) {
    const points = h
      .map((r) => ({ epoch: r.epoch, value: monitored(r, es.monitor) }))
      .filter((p): p is { epoch: number; value: number } => p.value !== null);
    return decideEarlyStop(points, {
      monitor: es.monitor,
      minDelta: es.minDelta,
      patience: es.patience,
      startFromEpoch: es.startFromEpoch,
    });
  }

  for (let epoch = (history.at(-1)?.epoch ?? 0) + 1; epoch <= config.epochs; epoch++) {
    const started = performance.now();
    const order = shuffledIndices(feeder.trainCount, deriveSeed(input.seed, epoch));
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    for (let b = 0; b < batchesPerEpoch; b++) {
      const indices = order.slice(b * config.batchSize, (b + 1) * config.batchSize);
      const { x, y } = await input.feeder.trainBatch(indices, deriveSeed(input.seed, epoch, b));
      // Dropout masks from the run's seed and the batch's place: repeated and resumed runs
      // draw the same ones (TF.js's own generator starts from Math.random).
      const dropoutSeed = batchDropoutSeed(input.seed, epoch, b);
      let loss: number;
      let batchCorrect: number;
      if (input.step) {
        try {
          ({ loss, correct: batchCorrect } = await input.step(x, y, dropoutSeed));
        } finally {
          tf.dispose([x, y]);
        }
      } else {
        let correctT: tf.Scalar | undefined;
        const lossT = optimizer.minimize(
          () => {
            const p = withDropoutSeeds(model, shardDropoutSeed(dropoutSeed, 0), () => model.apply(x, { training: true }) as tf.Tensor);
            correctT = tf.keep(correctCount(p, y));
            return crossEntropy(p, y);
          },
          true,
          trainable,
        )!;
        loss = (await lossT.data())[0]!;
        batchCorrect = (await correctT!.data())[0]!;
        tf.dispose([x, y, lossT, correctT!]);
      }
      const problem = checkFinite(loss, { epoch, batch: b + 1 });
      if (problem) return { reason: 'diverged', bestEpoch, epochsRun: epoch - 1, message: problem };
      lossSum += loss * indices.length;
      correct += batchCorrect;
      seen += indices.length;
      hooks.onBatch?.({
        epoch,
        batch: b + 1,
        batches: batchesPerEpoch,
        loss,
        accuracy: batchCorrect / indices.length,
        imagesPerSecond: seen / ((performance.now() - started) / 1000),
      });
      // Let pending messages (a Stop from the host) be delivered: the steps above only
      // await microtasks, so without this turn of the event loop a Stop would wait for
      // the end of the epoch.
      await new Promise<void>((resolve) => setImmediate(resolve));
      // A stop mid-epoch discards the partial epoch: the last checkpoint is the
      // previous epoch's, and resuming replays this one with the same draws.
      if (hooks.shouldStop()) return { reason: 'stopped', bestEpoch, epochsRun: epoch - 1 };
    }
    const trainSeconds = (performance.now() - started) / 1000;
    let valLoss: number | null = null;
    let valAccuracy: number | null = null;
    if (feeder.validationCount > 0 && (epoch % config.validateEvery === 0 || epoch === config.epochs)) {
      ({ loss: valLoss, accuracy: valAccuracy } = await evaluateFeeder(input.model, feeder, Math.max(config.batchSize, 64)));
    }
    const record: EpochRecord = {
      epoch,
      trainLoss: lossSum / seen,
      trainAccuracy: correct / seen,
      valLoss,
      valAccuracy,
      learningRate: input.learningRate,
      seconds: (performance.now() - started) / 1000,
      imagesPerSecond: seen / trainSeconds,
    };
    history.push(record);
    const d = decide(history);
    const improved = d.bestEpoch === epoch;
    bestEpoch = d.bestEpoch;
    const stop = es.enabled && d.stop;
    await hooks.onEpoch(record, { improved, bestEpoch, stop });
    if (stop) return { reason: 'early-stop', bestEpoch, epochsRun: epoch };
    if (hooks.shouldStop()) return { reason: 'stopped', bestEpoch, epochsRun: epoch };
  }
  return { reason: 'completed', bestEpoch, epochsRun: history.at(-1)?.epoch ?? 0 };
}

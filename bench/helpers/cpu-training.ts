// Holdout's side of (b) and (c) in `npm run bench -- cpu`, on the WebAssembly backend
// with the app's training kernels registered:
//   (b) buildSmallCnn at 28×28×1, 10 classes, batch 64, the app's AdamW (lr 1e-3, decay
//       0.01), real Fashion-MNIST images, images/s over training steps;
//   (c) buildFineTune on the bundled full MobileNetV2 with trainableTop {blocks: 1},
//       batch 16 at 224×224, AdamW (lr 1e-4, decay 0.01), seconds per step. Run it in a
//       worker thread (fine-tune-isolated.ts): at batch 16 the step can exhaust wasm's heap.
// A step is the body of the app's training loop (run/train-loop.ts): optimizer.minimize
// over the trainable weights of crossEntropy(model.apply(x, {training: true}), y), the
// correct count kept, both read back, dropout masks seeded per batch as the app seeds them
// (parallel/seeded-dropout.ts). No augmentation (the peer has none either).
import * as tf from '@tensorflow/tfjs';
import { loadBackbone } from '../../electron/engine/train/backbones/backbone.js';
import type { BackboneEntry } from '../../electron/engine/train/backbones/descriptor.js';
import { HEAD_DEFAULTS } from '../../electron/engine/train/models/head.js';
import { buildFineTune } from '../../electron/engine/train/models/fine-tune.js';
import { splitFineTune } from '../../electron/engine/train/models/fine-tune-split.js';
import { TRUNK_CHUNK } from '../../electron/engine/train/run/trunk-feeder.js';
import { buildSmallCnn } from '../../electron/engine/train/models/small-cnn.js';
import { DataParallelTrainer } from '../../electron/engine/train/parallel/data-parallel-trainer.js';
import { batchDropoutSeed, shardDropoutSeed, withDropoutSeeds } from '../../electron/engine/train/parallel/seeded-dropout.js';
import { makeOptimizer } from '../../electron/engine/train/optimizers/make-optimizer.js';
import { correctCount, crossEntropy } from '../../electron/engine/train/run/metrics.js';
import { median } from './cpu-peer.js';
import { profileKernels, type KernelProfile } from './kernel-profile.js';

export const CNN_BATCH = 64;
export const CNN_STEPS_PER_REP = 10;
export const FINE_TUNE_BATCH = 16;
const NUM_CLASSES = 10;
const SEED = 1;

/** One step of the app's training loop; resolves to the batch's loss. */
async function trainStep(
  model: tf.LayersModel, optimizer: tf.Optimizer, trainable: tf.Variable[], x: tf.Tensor, y: tf.Tensor, dropoutSeed: number | null = null,
): Promise<number> {
  let correctT: tf.Scalar | undefined;
  const seed = dropoutSeed === null ? null : shardDropoutSeed(dropoutSeed, 0);
  const lossT = optimizer.minimize(
    () => {
      const p = withDropoutSeeds(model, seed, () => model.apply(x, { training: true }) as tf.Tensor);
      correctT = tf.keep(correctCount(p, y));
      return crossEntropy(p, y);
    },
    true,
    trainable,
  )!;
  const loss = (await lossT.data())[0]!;
  await correctT!.data();
  tf.dispose([lossT, correctT!]);
  return loss;
}

export interface TrainResult {
  ips: number;
  /** Seconds per step (median over repetitions of CNN_STEPS_PER_REP or 1 steps). */
  stepSeconds: number;
  lastLoss: number;
  trainableWeights: number;
  profile: KernelProfile | null;
}

const countWeights = (vars: tf.Variable[]) => vars.reduce((n, v) => n + v.size, 0);

/**
 * images: 28×28 grey bytes, row-major, one image after another; labels 0…9.
 * With `parallelWorkers`, every step runs data-parallel (parallel/data-parallel-trainer.ts)
 * over that many worker threads besides this one.
 */
export async function measureSmallCnn(
  images: Uint8Array, labels: Uint8Array, reps: number, profile: boolean, parallelWorkers?: number,
): Promise<TrainResult> {
  const count = labels.length;
  const batches = Math.floor(count / CNN_BATCH);
  if (batches < 1) throw new Error(`small CNN: ${count} images are fewer than one batch of ${CNN_BATCH}`);
  const model = buildSmallCnn({ inputSize: 28, channels: 1, numClasses: NUM_CLASSES, seed: SEED });
  const optimizer = makeOptimizer({ kind: 'adamw', learningRate: 1e-3, weightDecay: 0.01 });
  const trainable = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const pixels = Float32Array.from(images, (v) => v / 255);
  const parallel = parallelWorkers ? await DataParallelTrainer.start(model, { workers: parallelWorkers }) : null;
  let next = 0;
  // Batches in file order, as the peer takes them; building each batch's tensors is part of the step.
  const step = async () => {
    const b = next++ % batches;
    const x = tf.tensor4d(pixels.subarray(b * CNN_BATCH * 784, (b + 1) * CNN_BATCH * 784), [CNN_BATCH, 28, 28, 1]);
    const y = tf.oneHot(tf.tensor1d(labels.subarray(b * CNN_BATCH, (b + 1) * CNN_BATCH), 'int32'), NUM_CLASSES);
    try {
      const seed = batchDropoutSeed(SEED, 1, b);
      return parallel ? (await parallel.step(optimizer, trainable, x, y, seed)).loss : await trainStep(model, optimizer, trainable, x, y, seed);
    } finally {
      tf.dispose([x, y]);
    }
  };
  try {
    for (let i = 0; i < 3; i++) await step();
    const seconds: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      for (let s = 0; s < CNN_STEPS_PER_REP; s++) await step();
      seconds.push((performance.now() - t0) / 1000);
    }
    const lastLoss = await step();
    const kernels = profile ? await profileKernels(async () => { for (let s = 0; s < 3; s++) await step(); }) : null;
    const stepSeconds = median(seconds) / CNN_STEPS_PER_REP;
    return { ips: CNN_BATCH / stepSeconds, stepSeconds, lastLoss, trainableWeights: countWeights(trainable), profile: kernels };
  } finally {
    await parallel?.close();
    optimizer.dispose();
    model.dispose();
  }
}

export interface FineTuneResult extends TrainResult {
  batch: number;
  blocks: number[];
  trainableLayers: string[];
}

export async function measureFineTune(entry: BackboneEntry, reps: number, profile: boolean, batch = FINE_TUNE_BATCH): Promise<FineTuneResult> {
  const bb = await loadBackbone(entry);
  if (!bb.layersModel) {
    bb.dispose();
    throw new Error(`backbone ${entry.descriptor.id} is a graph model and cannot be fine-tuned`);
  }
  const ft = buildFineTune({
    backbone: bb.layersModel,
    featureLayer: bb.featureLayer,
    trainableTop: { blocks: 1 },
    // As the app does for a backbone loaded for one run: train its own layers, no copy.
    shareBackbone: true,
    numClasses: NUM_CLASSES,
    hiddenUnits: HEAD_DEFAULTS.hiddenUnits,
    dropout: HEAD_DEFAULTS.dropout,
    seed: SEED,
  });
  const { model, plan } = ft;
  // As the app trains (run/prepare-model.ts): the frozen trunk runs as folded inference
  // outside the gradient tape, in chunks, and only the top is stepped; both are timed.
  const { split } = await splitFineTune(ft);
  const net = split ? split.top : model;
  const optimizer = makeOptimizer({ kind: 'adamw', learningRate: 1e-4, weightDecay: 0.01 });
  const trainable = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const x = tf.tidy(() => bb.preprocess(tf.randomUniform([batch, bb.inputSize, bb.inputSize, 3], 0, 1, 'float32', SEED) as tf.Tensor4D));
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([batch], 0, NUM_CLASSES, 'int32', SEED) as tf.Tensor1D, NUM_CLASSES));
  const step = async () => {
    const input = split ? (split.trunk.predict(x, { batchSize: TRUNK_CHUNK }) as tf.Tensor) : x;
    try {
      return await trainStep(net, optimizer, trainable, input, y);
    } finally {
      if (split) input.dispose();
    }
  };
  try {
    for (let i = 0; i < 2; i++) await step();
    const seconds: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      await step();
      seconds.push((performance.now() - t0) / 1000);
    }
    const lastLoss = await step();
    const kernels = profile ? await profileKernels(step) : null;
    const stepSeconds = median(seconds);
    return {
      ips: batch / stepSeconds,
      stepSeconds,
      batch,
      lastLoss,
      trainableWeights: countWeights(trainable),
      profile: kernels,
      blocks: plan.blocks,
      trainableLayers: plan.trainableLayers,
    };
  } finally {
    tf.dispose([x, y]);
    optimizer.dispose();
    split?.dispose();
    // Built on the backbone's own layers (shareBackbone): disposing the model frees them
    // too, and disposing the backbone afterwards would fail (as in run/prepare-model.ts).
    model.dispose();
  }
}

// Data-parallel steps (a worker thread with its own wasm instance computes part of each
// batch) make the same update as one optimizer.minimize over the whole batch, keep
// memory flat on both sides, and refuse models with state outside the gradient.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../../electron/engine/train/backend/use-backend.js';
import { registerWasmTrainingKernels } from '../../../../electron/engine/train/backend/wasm-kernels/register.js';
import { buildSmallCnn } from '../../../../electron/engine/train/models/small-cnn.js';
import { makeOptimizer } from '../../../../electron/engine/train/optimizers/make-optimizer.js';
import { crossEntropy } from '../../../../electron/engine/train/run/metrics.js';
import {
  DataParallelTrainer, dataParallelObstacle, defaultGradientWorkers, shardSizes,
} from '../../../../electron/engine/train/parallel/data-parallel-trainer.js';
import { seededValues } from '../wasm-kernels/compare-backends.js';

const SIZE = 16;
const CLASSES = 4;
// Dropout off: with it each thread would draw its own masks and the comparison would mean nothing.
const build = () => buildSmallCnn({ inputSize: SIZE, channels: 1, numClasses: CLASSES, dropout: 0, seed: 3, width: 8 });

function batch(n: number, seed: number): [tf.Tensor4D, tf.Tensor2D] {
  const x = tf.tensor4d(seededValues(n * SIZE * SIZE, seed).map((v) => Math.abs(v) / 3), [n, SIZE, SIZE, 1]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, i) => (i * 7 + seed) % CLASSES), 'int32'), CLASSES)) as tf.Tensor2D;
  return [x, y];
}

const variablesOf = (m: tf.LayersModel) => m.trainableWeights.map((w) => w.read() as tf.Variable);

describe('DataParallelTrainer', () => {
  // One worker for the whole file: starting one takes seconds on a loaded machine.
  let parallel: tf.LayersModel;
  let trainer: DataParallelTrainer;
  beforeAll(async () => {
    await useBackend('wasm');
    registerWasmTrainingKernels();
    parallel = build();
    trainer = await DataParallelTrainer.start(parallel, { workers: 1 });
  });
  afterAll(async () => {
    await trainer.close();
    parallel.dispose();
  });

  it('cuts a batch into near-equal shards, none empty', () => {
    expect(shardSizes(64, 2)).toEqual([32, 32]);
    expect(shardSizes(7, 3)).toEqual([3, 2, 2]);
    expect(shardSizes(1, 4)).toEqual([1]);
    expect(defaultGradientWorkers(1)).toBe(0);
    expect(defaultGradientWorkers(2)).toBe(1);
    expect(defaultGradientWorkers(16)).toBe(3);
  });

  it('makes the same updates as optimizer.minimize over the whole batch, uneven batches included', async () => {
    const single = build();
    expect(trainer.threads).toBe(2);
    const optA = makeOptimizer({ kind: 'adamw', learningRate: 1e-2, weightDecay: 0.01 });
    const optB = makeOptimizer({ kind: 'adamw', learningRate: 1e-2, weightDecay: 0.01 });
    const varsA = variablesOf(single);
    const varsB = variablesOf(parallel);
    for (const [step, n] of [12, 12, 7, 12].entries()) {
      const [x, y] = batch(n, step + 1);
      const lossT = optA.minimize(() => crossEntropy(single.apply(x, { training: true }) as tf.Tensor, y), true, varsA)!;
      const expectedLoss = (await lossT.data())[0]!;
      const { loss, correct } = await trainer.step(optB, varsB, x, y);
      expect(Math.abs(loss - expectedLoss)).toBeLessThanOrEqual(1e-5);
      expect(correct).toBeGreaterThanOrEqual(0);
      expect(correct).toBeLessThanOrEqual(n);
      tf.dispose([x, y, lossT]);
    }
    let worst = 0;
    varsA.forEach((a, i) => {
      const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, varsB[i]!))).dataSync()[0]!);
      worst = Math.max(worst, d);
    });
    // Four AdamW steps at lr 1e-2 move weights by ~4e-2: the halves must add up to the whole.
    expect(worst).toBeLessThanOrEqual(1e-4);
    tf.dispose([optA, optB] as unknown as tf.Tensor[]);
    single.dispose();
  });

  it('keeps memory flat in the training thread and in the worker over 10 steps', async () => {
    const t = trainer;
    const opt = makeOptimizer({ kind: 'adamw', learningRate: 1e-3, weightDecay: 0.01 });
    const vars = variablesOf(parallel);
    const step = async () => {
      const [x, y] = batch(10, 5);
      await t.step(opt, vars, x, y);
      tf.dispose([x, y]);
    };
    await step(); // the optimizer makes its slots on the first step
    const main = tf.memory();
    const worker = await t.workerMemory();
    for (let i = 0; i < 10; i++) await step();
    expect(tf.memory().numTensors).toBe(main.numTensors);
    expect(tf.memory().numBytes).toBe(main.numBytes);
    expect(await t.workerMemory()).toEqual(worker);
    opt.dispose();
  });

  it('refuses a model with batch-norm statistics, naming the weight', async () => {
    const input = tf.input({ shape: [4] });
    const out = tf.layers.dense({ units: 2, activation: 'softmax' }).apply(
      tf.layers.batchNormalization({ name: 'bn' }).apply(input)) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    expect(dataParallelObstacle(model)).toMatch(/bn/);
    await expect(DataParallelTrainer.start(model, { workers: 1 })).rejects.toThrow(/cannot be trained data-parallel/);
    model.dispose();
  });
});

// Dropout masks drawn from the run's seed: the same seed gives the same masks (on the
// training thread and in a gradient worker), another seed others, and the layers keep
// no seed afterwards (saved topologies stay as they were). Real TF.js on wasm.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../../electron/engine/train/backend/use-backend.js';
import { registerWasmTrainingKernels } from '../../../../electron/engine/train/backend/wasm-kernels/register.js';
import { buildSmallCnn } from '../../../../electron/engine/train/models/small-cnn.js';
import { makeOptimizer } from '../../../../electron/engine/train/optimizers/make-optimizer.js';
import { DataParallelTrainer } from '../../../../electron/engine/train/parallel/data-parallel-trainer.js';
import { batchDropoutSeed, withDropoutSeeds } from '../../../../electron/engine/train/parallel/seeded-dropout.js';
import { seededValues } from '../wasm-kernels/compare-backends.js';

const SIZE = 12;
const build = () => buildSmallCnn({ inputSize: SIZE, channels: 1, numClasses: 3, dropout: 0.5, seed: 9, width: 4 });
const x = () => tf.tensor4d(seededValues(6 * SIZE * SIZE, 1).map((v) => Math.abs(v)), [6, SIZE, SIZE, 1]);
const y = () => tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), 3);

async function forward(model: tf.LayersModel, seed: number | null): Promise<Float32Array> {
  const input = x();
  const out = withDropoutSeeds(model, seed, () => model.apply(input, { training: true }) as tf.Tensor);
  const values = (await out.data()) as Float32Array;
  tf.dispose([input, out]);
  return values;
}

describe('seeded dropout', () => {
  let model: tf.LayersModel;
  beforeAll(async () => {
    await useBackend('wasm');
    registerWasmTrainingKernels();
    model = build();
  });
  afterAll(() => model.dispose());

  it('draws the same masks for the same seed and others for another seed', async () => {
    const a = await forward(model, batchDropoutSeed(4, 1, 0));
    const again = await forward(model, batchDropoutSeed(4, 1, 0));
    const nextBatch = await forward(model, batchDropoutSeed(4, 1, 1));
    expect(again).toEqual(a);
    expect(nextBatch).not.toEqual(a);
    // TF.js's own draws (no seed) differ from call to call: what the seeds replace.
    expect(await forward(model, null)).not.toEqual(await forward(model, null));
  });

  it('leaves no seed in the layers: the saved topology is unchanged', async () => {
    const before = JSON.stringify(model.toJSON(null, false));
    await forward(model, 123);
    expect(JSON.stringify(model.toJSON(null, false))).toBe(before);
  });

  it('a data-parallel run with dropout repeats exactly: the worker draws its shard masks from the seed', async () => {
    const parallel = build();
    const initial = parallel.getWeights().map((w) => w.clone());
    const trainer = await DataParallelTrainer.start(parallel, { workers: 1 });
    try {
      const vars = parallel.trainableWeights.map((w) => w.read() as tf.Variable);
      const run = async (): Promise<number[]> => {
        parallel.setWeights(initial);
        const opt = makeOptimizer({ kind: 'adam', learningRate: 1e-2, weightDecay: 0 });
        const losses: number[] = [];
        for (let b = 0; b < 3; b++) {
          const [xs, ys] = [x(), y()];
          losses.push((await trainer.step(opt, vars, xs, ys, batchDropoutSeed(4, 1, b))).loss);
          tf.dispose([xs, ys]);
        }
        opt.dispose();
        return losses;
      };
      const first = await run();
      const second = await run();
      expect(second).toEqual(first);
      // Seeds matter: the first step's loss already differs under other masks.
      parallel.setWeights(initial);
      const opt = makeOptimizer({ kind: 'adam', learningRate: 1e-2, weightDecay: 0 });
      const [xs, ys] = [x(), y()];
      expect((await trainer.step(opt, vars, xs, ys, batchDropoutSeed(5, 1, 0))).loss).not.toBe(first[0]);
      tf.dispose([xs, ys]);
      opt.dispose();
    } finally {
      await trainer.close();
      tf.dispose(initial);
      parallel.dispose();
    }
  });
});

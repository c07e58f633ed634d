// The epoch loop on a real (small) learning problem: a head trained on feature vectors
// drawn from three Gaussian clusters, with real TF.js on the WebAssembly backend.
// Checks what the loop promises: memory flat over epochs, a stop between batches,
// a diverging loss reported, early stopping by the pure decision, and a resumed run
// (weights + optimizer state + recorded history) ending where an
// uninterrupted one does.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../electron/engine/curation/prng.js';
import { selectBackend } from '../../../../electron/engine/train/backend/select-backend.js';
import { buildHead } from '../../../../electron/engine/train/models/head.js';
import { makeOptimizer } from '../../../../electron/engine/train/optimizers/make-optimizer.js';
import { restoreOptimizerState, saveOptimizerState } from '../../../../electron/engine/train/optimizers/optimizer-state.js';
import { FeatureFeeder, type FeatureTable } from '../../../../electron/engine/train/run/feeders.js';
import { runLoop, type EpochRecord, type LoopInput } from '../../../../electron/engine/train/run/train-loop.js';

const DIM = 8;

function clusters(n: number, seed: number, noise: number): FeatureTable {
  const random = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const data = new Float32Array(n * DIM);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    labels.push(c);
    for (let d = 0; d < DIM; d++) data[i * DIM + d] = (d % 3 === c ? 2 : 0) + noise * gauss();
  }
  return { dim: DIM, views: [data], labels };
}

const config = {
  epochs: 6,
  batchSize: 16,
  validateEvery: 1,
  earlyStopping: { enabled: false, monitor: 'val_loss' as const, minDelta: 0, patience: 2, startFromEpoch: 0 },
};

function setup(opts: { noise?: number; lr?: number } = {}) {
  const model = buildHead({ featureDim: DIM, numClasses: 3, hiddenUnits: 16, dropout: 0, seed: 5 });
  const optimizer = makeOptimizer({ kind: 'adamw', learningRate: opts.lr ?? 0.01, weightDecay: 0.01 });
  const feeder = new FeatureFeeder(clusters(96, 1, opts.noise ?? 0.5), clusters(48, 2, opts.noise ?? 0.5), 3);
  return { model, optimizer, feeder };
}

function input(parts: ReturnType<typeof setup>, extra: Partial<LoopInput> = {}): LoopInput {
  return { ...parts, config, learningRate: 0.01, seed: 9, history: [], hooks: { shouldStop: () => false, onEpoch: async () => undefined }, ...extra };
}

describe('runLoop', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('learns, records every epoch, and keeps the number of tensors flat across epochs', async () => {
    const parts = setup();
    const tensors: number[] = [];
    const records: EpochRecord[] = [];
    const end = await runLoop(
      input(parts, {
        hooks: {
          shouldStop: () => false,
          onEpoch: async (r) => {
            records.push(r);
            tensors.push(tf.memory().numTensors);
          },
        },
      }),
    );
    expect(end).toMatchObject({ reason: 'completed', epochsRun: 6 });
    expect(records.map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(records.at(-1)!.valAccuracy).toBeGreaterThan(0.9);
    expect(records.at(-1)!.trainLoss).toBeLessThan(records[0]!.trainLoss);
    expect(new Set(tensors.slice(1)).size).toBe(1);
    tf.dispose([parts.model, parts.optimizer] as never);
  });

  it('stops after the batch in flight when asked, counting only whole epochs', async () => {
    const parts = setup();
    let batches = 0;
    const end = await runLoop(input(parts, { hooks: { shouldStop: () => batches >= 9, onBatch: () => void batches++, onEpoch: async () => undefined } }));
    // 96 images / 16 = 6 batches per epoch: the 9th batch is in epoch 2.
    expect(batches).toBe(9);
    expect(end).toMatchObject({ reason: 'stopped', epochsRun: 1 });
  });

  it('sees a Stop that arrives as an event (a worker message) within a batch or two, not at the end of the epoch', async () => {
    const parts = setup();
    let batches = 0;
    let stop = false;
    const end = await runLoop(
      input(parts, {
        hooks: {
          shouldStop: () => stop,
          // A macrotask, like a worker message: delivered only if the loop yields to the event loop.
          onBatch: () => {
            if (++batches === 1) setTimeout(() => (stop = true), 0);
          },
          onEpoch: async () => undefined,
        },
      }),
    );
    expect(end.reason).toBe('stopped');
    expect(batches).toBeLessThanOrEqual(2);
  });

  it('stops with a clear message when the loss becomes NaN, instead of training on', async () => {
    // One corrupt value (an overflow upstream, a broken feature file) makes the loss NaN.
    const parts = setup();
    const bad = clusters(96, 1, 0.5);
    bad.views[0]![5 * DIM + 2] = Number.POSITIVE_INFINITY;
    const end = await runLoop(input({ ...parts, feeder: new FeatureFeeder(bad, clusters(48, 2, 0.5), 3) }));
    expect(end.reason).toBe('diverged');
    expect(end.reason === 'diverged' && end.message).toMatch(/^training diverged at epoch 1 batch \d+: the loss became NaN/);
  });

  it('stops early by the pure decision and reports the best epoch', async () => {
    const parts = setup({ noise: 3 });
    const end = await runLoop(input(parts, { config: { ...config, epochs: 60, earlyStopping: { ...config.earlyStopping, enabled: true, patience: 2, minDelta: 0.05 } } }));
    expect(end.reason).toBe('early-stop');
    expect(end.epochsRun).toBe(end.bestEpoch! + 2);
  });

  it('ends a resumed run exactly where the uninterrupted run ends', async () => {
    const whole = setup();
    await runLoop(input(whole));
    const expected = whole.model.getWeights().map((w) => Array.from(w.dataSync()));

    const first = setup();
    const history: EpochRecord[] = [];
    await runLoop(input(first, { config: { ...config, epochs: 3 }, hooks: { shouldStop: () => false, onEpoch: async (r) => void history.push(r) } }));
    const weights = first.model.getWeights().map((w) => w.clone());
    const state = await saveOptimizerState(first.optimizer);

    const second = setup();
    second.model.setWeights(weights);
    await restoreOptimizerState(second.optimizer, state);
    const end = await runLoop(input(second, { history }));
    expect(end.epochsRun).toBe(6);
    const got = second.model.getWeights().map((w) => Array.from(w.dataSync()));
    // Not bitwise: Adam's restored β-powers are recomputed as β^t instead of multiplied up
    // step by step, which differs in the last bits of float32.
    const diff = Math.max(...got.flatMap((w, i) => w.map((v, j) => Math.abs(v - expected[i]![j]!))));
    expect(diff).toBeLessThan(1e-5);
  });
});

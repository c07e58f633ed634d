// AdamW against its formula, step by step, on both portable backends: kernels (rank 2)
// decay, biases (rank 1) do not; with no decay it is exactly tf's Adam; it trains a
// layers model and survives model.save / load with its state.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../../electron/engine/train/backend/use-backend.js';
import { AdamWOptimizer } from '../../../../electron/engine/train/optimizers/adamw.js';
import { adamwStep, zeros } from './adam-reference.js';

let counter = 0;
const unique = (name: string): string => `${name}_${counter++}`;

const KERNEL = [0.5, -1, 2, 1.5, -0.25, 0.75];
const BIAS = [0.1, -0.2, 0.3];
const gradKernel = (t: number): number[] => KERNEL.map((_, i) => Math.sin(t + i) * (i % 2 ? 0.3 : 2));
const gradBias = (t: number): number[] => BIAS.map((_, i) => Math.cos(2 * t + i));
const hyper = { lr: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

function expectClose(actual: ArrayLike<number>, expected: number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(tol);
}

describe.each(['cpu', 'wasm'] as const)('AdamW on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  it('follows w ← w(1 − lr·wd) − lr·m̂/(√v̂+ε) on a kernel and plain Adam on a bias, for 5 steps', () => {
    const wd = 0.2;
    const kernel = tf.variable(tf.tensor2d(KERNEL, [2, 3]), true, unique('kernel'));
    const bias = tf.variable(tf.tensor1d(BIAS), true, unique('bias'));
    const opt = new AdamWOptimizer(hyper.lr, hyper.beta1, hyper.beta2, hyper.epsilon, wd);
    const k = [...KERNEL];
    const b = [...BIAS];
    const bIfDecayed = [...BIAS];
    const ks = { m: zeros(6), v: zeros(6) };
    const bs = { m: zeros(3), v: zeros(3) };
    const bds = { m: zeros(3), v: zeros(3) };
    for (let t = 1; t <= 5; t++) {
      const gk = tf.tensor2d(gradKernel(t), [2, 3]);
      const gb = tf.tensor1d(gradBias(t));
      opt.applyGradients([
        { name: kernel.name, tensor: gk },
        { name: bias.name, tensor: gb },
      ]);
      tf.dispose([gk, gb]);
      adamwStep(k, gradKernel(t), ks, t, { ...hyper, wd });
      adamwStep(b, gradBias(t), bs, t, { ...hyper, wd: 0 });
      adamwStep(bIfDecayed, gradBias(t), bds, t, { ...hyper, wd });
      expectClose(kernel.dataSync(), k, 2e-6);
      expectClose(bias.dataSync(), b, 2e-6);
    }
    // The exclusion is visible: had the bias decayed, it would be measurably elsewhere.
    const gap = Math.max(...bias.dataSync().map((v, i) => Math.abs(v - bIfDecayed[i]!)));
    expect(gap).toBeGreaterThan(1e-3);
    opt.dispose();
    tf.dispose([kernel, bias]);
  });

  it('with weightDecay 0 gives bitwise the same weights as tf.train.adam', () => {
    const run = (opt: tf.Optimizer): Float32Array[] => {
      const kernel = tf.variable(tf.tensor2d(KERNEL, [2, 3]), true, unique('k'));
      const bias = tf.variable(tf.tensor1d(BIAS), true, unique('b'));
      for (let t = 1; t <= 6; t++) {
        const grads = { [kernel.name]: tf.tensor2d(gradKernel(t), [2, 3]), [bias.name]: tf.tensor1d(gradBias(t)) };
        opt.applyGradients(grads);
        tf.dispose(Object.values(grads));
      }
      const out = [kernel.dataSync() as Float32Array, bias.dataSync() as Float32Array];
      opt.dispose();
      tf.dispose([kernel, bias]);
      return out;
    };
    const adamw = run(new AdamWOptimizer(hyper.lr, hyper.beta1, hyper.beta2, hyper.epsilon, 0));
    const adam = run(tf.train.adam(hyper.lr, hyper.beta1, hyper.beta2, hyper.epsilon));
    expect(Array.from(adamw[0]!)).toEqual(Array.from(adam[0]!));
    expect(Array.from(adamw[1]!)).toEqual(Array.from(adam[1]!));
  });

  it('through minimize (the list form layers models use): a zero gradient leaves only the decay, on kernels only', () => {
    const lr = 0.1;
    const wd = 0.5;
    const kernel = tf.variable(tf.tensor4d([1, -2, 3, -4, 5, -6, 7, -8], [2, 2, 1, 2]), true, unique('conv'));
    const gamma = tf.variable(tf.tensor1d([1.5, 0.5]), true, unique('gamma'));
    const opt = new AdamWOptimizer(lr, 0.9, 0.999, 1e-7, wd);
    opt.minimize(() => tf.add(tf.sum(tf.mul(kernel, 0)), tf.sum(tf.mul(gamma, 0))) as tf.Scalar, false, [kernel, gamma]);
    expectClose(kernel.dataSync(), [1, -2, 3, -4, 5, -6, 7, -8].map((v) => v * (1 - lr * wd)), 1e-6);
    expect(Array.from(gamma.dataSync())).toEqual([1.5, 0.5]);
    opt.dispose();
    tf.dispose([kernel, gamma]);
  });

  it('does not leak tensors from step to step', () => {
    const kernel = tf.variable(tf.tensor2d(KERNEL, [2, 3]), true, unique('k'));
    const opt = new AdamWOptimizer(0.01, 0.9, 0.999, 1e-7, 0.01);
    const step = (): void => {
      opt.minimize(() => tf.sum(tf.square(kernel)) as tf.Scalar, false, [kernel]);
    };
    step();
    const after1 = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(after1);
    opt.dispose();
    kernel.dispose();
  });

  it('trains a layers model and comes back from model.save / loadLayersModel with its class, decay and moments', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [4], units: 5, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.batchNormalization(),
        tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      ],
    });
    const opt = new AdamWOptimizer(0.01, 0.9, 0.999, 1e-7, 0.05);
    model.compile({ optimizer: opt, loss: 'categoricalCrossentropy' });
    const xs = tf.tensor2d(Array.from({ length: 32 }, (_, i) => Math.sin(i)), [8, 4]);
    const ys = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 1, 0, 1, 0], 'int32'), 2);
    await model.fit(xs, ys, { epochs: 2, batchSize: 4, verbose: 0 });
    expect(opt.iterations).toBe(4);

    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
      { includeOptimizer: true },
    );
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    const restored = loaded.optimizer;
    expect(restored.getClassName()).toBe('AdamW');
    expect((restored as AdamWOptimizer).weightDecay).toBe(0.05);
    expect(restored.getConfig()).toEqual(opt.getConfig());
    const before = await opt.getWeights();
    const after = await restored.getWeights();
    expect(after.map((w) => w.name)).toEqual(before.map((w) => w.name));
    for (let i = 0; i < before.length; i++) {
      expect(Array.from(after[i]!.tensor.dataSync())).toEqual(Array.from(before[i]!.tensor.dataSync()));
    }
    tf.dispose([xs, ys]);
    model.dispose();
    loaded.dispose();
  });
});

describe('AdamW serialization', () => {
  it('is registered as AdamW and rebuilds from its config with the weight decay', () => {
    const entry = tf.serialization.SerializationMap.getMap().classNameMap['AdamW'];
    expect(entry).toBeDefined();
    const [cls, fromConfig] = entry!;
    const opt = new AdamWOptimizer(0.003, 0.8, 0.99, 1e-6, 0.02);
    const copy = fromConfig(cls, opt.getConfig()) as AdamWOptimizer;
    expect(copy.getClassName()).toBe('AdamW');
    expect(copy.weightDecay).toBe(0.02);
    expect(copy.getConfig()).toEqual({ learningRate: 0.003, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 0.02 });
    opt.dispose();
    copy.dispose();
  });

  it('refuses a negative weight decay', () => {
    expect(() => new AdamWOptimizer(0.01, 0.9, 0.999, 1e-7, -0.1)).toThrow(/weightDecay/);
  });
});

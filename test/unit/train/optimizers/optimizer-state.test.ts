// Resume with the optimizer's state: k steps, save, a fresh optimizer on fresh
// variables restored from the save, N − k more steps must land where N uninterrupted
// steps land — for every kind makeOptimizer builds, on both portable backends.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../../electron/engine/train/backend/use-backend.js';
import { makeOptimizer, type OptimizerConfig } from '../../../../electron/engine/train/optimizers/make-optimizer.js';
import { restoreOptimizerState, saveOptimizerState } from '../../../../electron/engine/train/optimizers/optimizer-state.js';

const W0 = [0.3, -0.7, 0.2, 0.9, -0.4, 0.6, 0.1, -0.2];
const B0 = [0.05, -0.05];
const XS = [0.5, -1, 0.25, 2, 1, 0.5, -0.5, 1.5, 0.75, -0.25, 1, 0, -1, 1, 0.3, 0.6, 0.2, -0.8, 1.2, 0.4];
const YS = [1, 0, 0, 1, 1, 1, 0, 0, 0.5, 0.5];

let counter = 0;
function freshVariables(w: ArrayLike<number> = W0, b: ArrayLike<number> = B0): [tf.Variable, tf.Variable] {
  counter++;
  return [
    tf.variable(tf.tensor2d(Array.from(w), [4, 2]), true, `state_w_${counter}`),
    tf.variable(tf.tensor1d(Array.from(b)), true, `state_b_${counter}`),
  ];
}

function step(opt: tf.Optimizer, [w, b]: [tf.Variable, tf.Variable]): void {
  opt.minimize(
    () => tf.losses.meanSquaredError(tf.tensor2d(YS, [5, 2]), tf.add(tf.matMul(tf.tensor2d(XS, [5, 4]), w), b)) as tf.Scalar,
    false,
    [w, b],
  );
}

const configs: OptimizerConfig[] = [
  { kind: 'adamw', learningRate: 0.05, weightDecay: 0.1 },
  { kind: 'adam', learningRate: 0.05, weightDecay: 0 },
  { kind: 'sgd', learningRate: 0.1, weightDecay: 0.05, momentum: 0.9 },
];

describe.each(['cpu', 'wasm'] as const)('optimizer state on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  it.each(configs)('$kind: k steps + save + fresh optimizer + restore + N − k steps equals N steps', async (cfg) => {
    const N = 8;
    const k = 3;
    const straight = freshVariables();
    const a = makeOptimizer(cfg);
    for (let i = 0; i < N; i++) step(a, straight);

    const first = freshVariables();
    const b = makeOptimizer(cfg);
    for (let i = 0; i < k; i++) step(b, first);
    const state = await saveOptimizerState(b);
    const wAtK = first[0].dataSync().slice();
    const bAtK = first[1].dataSync().slice();
    b.dispose();
    tf.dispose(first);

    const resumed = freshVariables(wAtK, bAtK);
    const c = makeOptimizer(cfg);
    await restoreOptimizerState(c, state);
    expect(c.iterations).toBe(k);
    for (let i = k; i < N; i++) step(c, resumed);

    for (let v = 0; v < 2; v++) {
      const expected = straight[v]!.dataSync();
      const actual = resumed[v]!.dataSync();
      for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(1e-7);
    }
    // The run moved: resuming without the state would not have matched this.
    expect(Math.abs(straight[0].dataSync()[0]! - W0[0]!)).toBeGreaterThan(1e-3);
    a.dispose();
    c.dispose();
    tf.dispose([...straight, ...resumed]);
  });

  it('a fresh optimizer without the state does not reproduce the run (the state matters)', async () => {
    const cfg = configs[0]!;
    const straight = freshVariables();
    const a = makeOptimizer(cfg);
    for (let i = 0; i < 6; i++) step(a, straight);
    const first = freshVariables();
    const b = makeOptimizer(cfg);
    for (let i = 0; i < 3; i++) step(b, first);
    const c = makeOptimizer(cfg);
    for (let i = 0; i < 3; i++) step(c, first);
    const diff = Math.max(...straight[0].dataSync().map((v, i) => Math.abs(v - first[0].dataSync()[i]!)));
    expect(diff).toBeGreaterThan(1e-4);
    tf.dispose([...straight, ...first]);
    [a, b, c].forEach((o) => o.dispose());
  });

  it('saves plain arrays, and restoring over existing state releases the old tensors', async () => {
    const vars = freshVariables();
    const opt = makeOptimizer(configs[0]!);
    for (let i = 0; i < 2; i++) step(opt, vars);
    const state = await saveOptimizerState(opt);
    expect(state.kind).toBe('AdamW');
    expect(state.config).toMatchObject({ learningRate: 0.05, weightDecay: 0.1 });
    expect(state.weights.map((w) => w.name)).toEqual([
      'iter',
      `${vars[0].name}/m`,
      `${vars[1].name}/m`,
      `${vars[0].name}/v`,
      `${vars[1].name}/v`,
    ]);
    expect(state.weights[0]).toMatchObject({ dtype: 'int32', shape: [], data: Float32Array.from([2]) });
    expect(state.weights[1]!.data).toBeInstanceOf(Float32Array);
    // Saving allocates nothing that outlives it (getWeights' fresh iteration scalar is released).
    const beforeSave = tf.memory().numTensors;
    await saveOptimizerState(opt);
    expect(tf.memory().numTensors).toBe(beforeSave);
    const before = tf.memory().numTensors;
    await restoreOptimizerState(opt, state);
    await restoreOptimizerState(opt, { ...state, weights: state.weights.map((w) => (w.dtype === 'int32' ? { ...w, data: Int32Array.from(w.data) } : w)) });
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
    tf.dispose(vars);
  });

  it('refuses a state of another kind or with inconsistent data', async () => {
    const vars = freshVariables();
    const adam = makeOptimizer(configs[1]!);
    step(adam, vars);
    const state = await saveOptimizerState(adam);
    const sgd = makeOptimizer(configs[2]!);
    await expect(restoreOptimizerState(sgd, state)).rejects.toThrow(/optimizer state is for Adam, but the optimizer is SGDW/);
    const broken = { ...state, weights: state.weights.map((w, i) => (i === 1 ? { ...w, data: new Float32Array(1) } : w)) };
    await expect(restoreOptimizerState(makeOptimizer(configs[1]!), broken)).rejects.toThrow(/has 1 values for shape \[4, 2\]/);
    adam.dispose();
    sgd.dispose();
    tf.dispose(vars);
  });
});

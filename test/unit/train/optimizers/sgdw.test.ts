// SGD with momentum and decoupled decay against its formula, step by step, on both
// portable backends; biases do not decay; momentum 0 and decay 0 is plain SGD.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../../electron/engine/train/backend/use-backend.js';
import { SGDWOptimizer } from '../../../../electron/engine/train/optimizers/sgdw.js';
import { sgdwStep, zeros } from './adam-reference.js';

let counter = 0;
const unique = (name: string): string => `sgdw_${name}_${counter++}`;
const KERNEL = [0.5, -1, 2, 1.5, -0.25, 0.75];
const BIAS = [0.1, -0.2, 0.3];
const gradKernel = (t: number): number[] => KERNEL.map((_, i) => Math.sin(t * 1.3 + i));
const gradBias = (t: number): number[] => BIAS.map((_, i) => Math.cos(t + 2 * i));

describe.each(['cpu', 'wasm'] as const)('SGDW on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  it('follows w ← w(1 − lr·wd); a ← μa + g; w ← w − lr·a on a kernel, without the decay on a bias', () => {
    const lr = 0.1;
    const momentum = 0.9;
    const wd = 0.3;
    const kernel = tf.variable(tf.tensor2d(KERNEL, [3, 2]), true, unique('kernel'));
    const bias = tf.variable(tf.tensor1d(BIAS), true, unique('bias'));
    const opt = new SGDWOptimizer(lr, momentum, false, wd);
    const k = [...KERNEL];
    const b = [...BIAS];
    const bIfDecayed = [...BIAS];
    const ka = zeros(6);
    const ba = zeros(3);
    const bda = zeros(3);
    for (let t = 1; t <= 5; t++) {
      const grads = [
        { name: kernel.name, tensor: tf.tensor2d(gradKernel(t), [3, 2]) },
        { name: bias.name, tensor: tf.tensor1d(gradBias(t)) },
      ];
      opt.applyGradients(grads);
      tf.dispose(grads.map((g) => g.tensor));
      sgdwStep(k, gradKernel(t), ka, lr, momentum, wd);
      sgdwStep(b, gradBias(t), ba, lr, momentum, 0);
      sgdwStep(bIfDecayed, gradBias(t), bda, lr, momentum, wd);
      Array.from(kernel.dataSync()).forEach((v, i) => expect(Math.abs(v - k[i]!)).toBeLessThan(2e-6));
      Array.from(bias.dataSync()).forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThan(2e-6));
    }
    expect(Math.max(...bias.dataSync().map((v, i) => Math.abs(v - bIfDecayed[i]!)))).toBeGreaterThan(1e-3);
    opt.dispose();
    tf.dispose([kernel, bias]);
  });

  it('with momentum 0 and no decay is exactly tf.train.sgd', () => {
    const run = (opt: tf.Optimizer): number[] => {
      const kernel = tf.variable(tf.tensor2d(KERNEL, [3, 2]), true, unique('k'));
      for (let t = 1; t <= 4; t++) {
        const g = tf.tensor2d(gradKernel(t), [3, 2]);
        opt.applyGradients({ [kernel.name]: g });
        g.dispose();
      }
      const out = Array.from(kernel.dataSync());
      opt.dispose();
      kernel.dispose();
      return out;
    };
    expect(run(new SGDWOptimizer(0.05, 0, false, 0))).toEqual(run(tf.train.sgd(0.05)));
  });
});

describe('SGDW serialization', () => {
  it('is registered as SGDW and rebuilds from its config with the weight decay', () => {
    const entry = tf.serialization.SerializationMap.getMap().classNameMap['SGDW'];
    expect(entry).toBeDefined();
    const [cls, fromConfig] = entry!;
    const opt = new SGDWOptimizer(0.02, 0.8, true, 0.001);
    const copy = fromConfig(cls, opt.getConfig()) as SGDWOptimizer;
    expect(copy.getClassName()).toBe('SGDW');
    expect(copy.weightDecay).toBe(0.001);
    expect(copy.getConfig()).toEqual({ learningRate: 0.02, momentum: 0.8, useNesterov: true, weightDecay: 0.001 });
    opt.dispose();
    copy.dispose();
  });
});

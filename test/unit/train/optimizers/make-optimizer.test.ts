// makeOptimizer builds the kind asked for with the settings asked for, fills Keras's
// defaults, and refuses bad settings with an error that names the field.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../electron/api/errors.js';
import { AdamWOptimizer } from '../../../../electron/engine/train/optimizers/adamw.js';
import { makeOptimizer, type OptimizerConfig } from '../../../../electron/engine/train/optimizers/make-optimizer.js';
import { SGDWOptimizer } from '../../../../electron/engine/train/optimizers/sgdw.js';

describe('makeOptimizer', () => {
  it('builds AdamW, Adam and SGD with momentum with the given and the default settings', () => {
    const adamw = makeOptimizer({ kind: 'adamw', learningRate: 0.001, weightDecay: 0.01 });
    // tf.Optimizer's instanceof is duck-typed (any optimizer passes), so compare class names.
    expect(adamw.getClassName()).toBe(AdamWOptimizer.className);
    expect(adamw.getConfig()).toEqual({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.01 });
    const adam = makeOptimizer({ kind: 'adam', learningRate: 0.002, weightDecay: 0, beta1: 0.8 });
    expect(adam.getClassName()).toBe('Adam');
    expect(adam.getConfig()).toEqual({ learningRate: 0.002, beta1: 0.8, beta2: 0.999, epsilon: 1e-7 });
    const sgd = makeOptimizer({ kind: 'sgd', learningRate: 0.1, weightDecay: 0.0005 });
    expect(sgd.getClassName()).toBe(SGDWOptimizer.className);
    expect(sgd.getConfig()).toEqual({ learningRate: 0.1, momentum: 0.9, useNesterov: false, weightDecay: 0.0005 });
    [adamw, adam, sgd].forEach((o) => o.dispose());
  });

  const bad: Array<[string, unknown, string]> = [
    ['a zero learning rate', { kind: 'adamw', learningRate: 0, weightDecay: 0 }, 'learningRate'],
    ['a negative weight decay', { kind: 'sgd', learningRate: 0.1, weightDecay: -1 }, 'weightDecay'],
    ['momentum 1', { kind: 'sgd', learningRate: 0.1, weightDecay: 0, momentum: 1 }, 'momentum'],
    ['an unknown kind', { kind: 'rmsprop', learningRate: 0.1, weightDecay: 0 }, 'kind'],
    ['an unknown field', { kind: 'adam', learningRate: 0.1, weightDecay: 0, decay: 1 }, ''],
    ['weight decay with plain Adam', { kind: 'adam', learningRate: 0.1, weightDecay: 0.01 }, 'weightDecay'],
  ];
  it.each(bad)('refuses %s, naming the field', (_, cfg, field) => {
    let error: unknown;
    try {
      makeOptimizer(cfg as OptimizerConfig);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('invalid_request');
    if (field) expect((error as ApiError).field).toBe(field);
    expect((error as ApiError).message).toMatch(/optimizer settings/);
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../../electron/api/errors.js';
import { useBackend } from '../../../../electron/engine/train/backend/use-backend.js';
import { buildHead } from '../../../../electron/engine/train/models/head.js';
import { countParams } from '../../../../electron/engine/train/models/describe-model.js';
import { inferenceLoss, trainSteps, weightValues } from './model-test-helpers.js';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('buildHead', () => {
  it('maps [batch, featureDim] features to probabilities that sum to 1', () => {
    const head = buildHead({ featureDim: 20, numClasses: 4, seed: 1 });
    const probs = head.predict(tf.randomNormal([6, 20], 0, 1, 'float32', 3)) as tf.Tensor;
    expect(probs.shape).toEqual([6, 4]);
    for (const s of probs.sum(1).arraySync() as number[]) expect(s).toBeCloseTo(1, 5);
    expect(Math.min(...(probs.dataSync() as Float32Array))).toBeGreaterThanOrEqual(0);
  });

  it('puts dropout before each dense layer, and hiddenUnits 0 gives a linear classifier', () => {
    const deep = buildHead({ featureDim: 10, numClasses: 3, hiddenUnits: 4, seed: 1 });
    expect(deep.layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'Dropout', 'Dense', 'Dropout', 'Dense']);
    expect(countParams(deep)).toBe(10 * 4 + 4 + 4 * 3 + 3);
    const linear = buildHead({ featureDim: 10, numClasses: 3, hiddenUnits: 0, seed: 1 });
    expect(linear.layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'Dropout', 'Dense']);
    expect(countParams(linear)).toBe(10 * 3 + 3);
  });

  it('gives the same initial weights for the same seed and different ones for another', () => {
    const a = weightValues(buildHead({ featureDim: 12, numClasses: 3, seed: 42 }));
    const b = weightValues(buildHead({ featureDim: 12, numClasses: 3, seed: 42 }));
    const c = weightValues(buildHead({ featureDim: 12, numClasses: 3, seed: 43 }));
    const kernels = (m: Map<string, Float32Array>) => [...m.values()].filter((v) => v.some((x) => x !== 0));
    expect(kernels(a)).toEqual(kernels(b));
    expect(kernels(a)[0]).not.toEqual(kernels(c)[0]);
    // Each layer gets its own seed: two same-sized kernels do not start identical.
    const twin = weightValues(buildHead({ featureDim: 8, numClasses: 8, hiddenUnits: 8, seed: 5 }));
    const [k1, k2] = kernels(twin);
    expect(k1).not.toEqual(k2);
  });

  it('learns separable features: the loss falls', async () => {
    const features = tf.concat([tf.randomNormal([8, 16], 1, 0.5, 'float32', 1), tf.randomNormal([8, 16], -1, 0.5, 'float32', 2)]);
    const labels = tf.oneHot(tf.tensor1d([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1], 'int32'), 2).toFloat();
    const head = buildHead({ featureDim: 16, numClasses: 2, hiddenUnits: 32, seed: 3 });
    const before = inferenceLoss(head, features, labels);
    await trainSteps(head, features, labels, 20);
    expect(inferenceLoss(head, features, labels)).toBeLessThan(before * 0.5);
  });

  it('names the field of a bad option', () => {
    const bad = (o: Partial<Parameters<typeof buildHead>[0]>, field: string) => {
      try {
        buildHead({ featureDim: 4, numClasses: 2, seed: 1, ...o });
      } catch (e) {
        expect(e).toBeInstanceOf(ApiError);
        expect((e as ApiError).field).toBe(field);
        return;
      }
      throw new Error(`no error for ${JSON.stringify(o)}`);
    };
    bad({ dropout: 0.95 }, 'dropout');
    bad({ numClasses: 1 }, 'numClasses');
    bad({ hiddenUnits: 2.5 }, 'hiddenUnits');
    bad({ featureDim: 0 }, 'featureDim');
    bad({ seed: -1 }, 'seed');
  });
});

// Dropout must be the identity at inference and, in training, zero about `rate` of the
// activations and scale the rest by 1/(1 − rate) — checked on the layers the builders make.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../../electron/engine/train/backend/use-backend.js';
import { buildHead } from '../../../../electron/engine/train/models/head.js';
import { buildSmallCnn } from '../../../../electron/engine/train/models/small-cnn.js';
import { maxAbsDiff } from './model-test-helpers.js';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('dropout in the built models', () => {
  it('is the identity at inference: the same output as the model without dropout', () => {
    const options = { featureDim: 32, numClasses: 5, hiddenUnits: 64, seed: 9 };
    const withDropout = buildHead({ ...options, dropout: 0.5 });
    const without = buildHead({ ...options, dropout: 0 });
    without.setWeights(withDropout.getWeights());
    const x = tf.randomNormal([10, 32], 0, 1, 'float32', 4);
    const reference = without.predict(x) as tf.Tensor;
    expect(maxAbsDiff(withDropout.predict(x) as tf.Tensor, reference)).toBe(0);
    expect(maxAbsDiff(withDropout.apply(x, { training: false }) as tf.Tensor, reference)).toBe(0);
    // …and it is active in training mode, so the comparison above can fail.
    expect(maxAbsDiff(withDropout.apply(x, { training: true }) as tf.Tensor, reference)).toBeGreaterThan(1e-3);
  });

  it('is the identity at inference in the small CNN too', () => {
    const options = { inputSize: 12, channels: 1, numClasses: 3, seed: 2 };
    const withDropout = buildSmallCnn({ ...options, dropout: 0.6 });
    const without = buildSmallCnn({ ...options, dropout: 0 });
    without.setWeights(withDropout.getWeights());
    const x = tf.randomUniform([4, 12, 12, 1], 0, 1, 'float32', 8);
    expect(maxAbsDiff(withDropout.predict(x) as tf.Tensor, without.predict(x) as tf.Tensor)).toBe(0);
  });

  it('in training zeroes about `rate` of the values and scales the rest by 1/(1 − rate)', () => {
    const rate = 0.3;
    const layer = buildHead({ featureDim: 8, numClasses: 2, dropout: rate, seed: 1 }).getLayer('head_dropout_features');
    const n = 200_000;
    const out = (layer.apply(tf.ones([n]), { training: true }) as tf.Tensor).dataSync();
    let zeros = 0;
    let wronglyScaled = 0;
    for (const v of out) {
      if (v === 0) zeros++;
      else if (Math.abs(v - 1 / (1 - rate)) > 1e-5) wronglyScaled++;
    }
    expect(wronglyScaled).toBe(0);
    // Binomial: the standard deviation of the fraction is ~0.001 here.
    expect(zeros / n).toBeGreaterThan(rate - 0.01);
    expect(zeros / n).toBeLessThan(rate + 0.01);
    expect(Array.from((layer.apply(tf.ones([n]), { training: false }) as tf.Tensor).dataSync()).every((v) => v === 1)).toBe(true);
  });

  it('draws a new mask on every training call (a fixed seed would repeat one mask forever)', () => {
    const layer = buildHead({ featureDim: 8, numClasses: 2, dropout: 0.5, seed: 1 }).getLayer('head_dropout_hidden');
    const first = (layer.apply(tf.ones([1000]), { training: true }) as tf.Tensor).dataSync();
    const second = (layer.apply(tf.ones([1000]), { training: true }) as tf.Tensor).dataSync();
    expect(Array.from(first)).not.toEqual(Array.from(second));
  });
});

// DepthwiseConv2dNativeBackpropInput / BackpropFilter on wasm agree with the CPU backend.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { disagreement, prepareBackends, seededValues, sizeOf } from './compare-backends.js';

type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;
const PADS: Array<[string, Pad]> = [['same', 'same'], ['valid', 'valid'], ['explicit', [[0, 0], [2, 1], [0, 1], [0, 0]]]];

// Kernel sizes × strides × paddings × multipliers; batch alternates 1 and 3.
const CASES = [1, 2, 3, 5].flatMap((k) => [1, 2, 3].flatMap((s) => PADS.flatMap(([padLabel, pad], i) =>
  [1, 2].map((multiplier) => ({ k, s, pad, padLabel, multiplier, batch: (k + s + i + multiplier) % 2 === 0 ? 1 : 3 })))));

function depthwiseGradients(k: number, s: number, pad: Pad, multiplier: number, batch: number) {
  const xShape = [batch, 9, 10, 3];
  const wShape = [k, k, 3, multiplier];
  const xValues = seededValues(sizeOf(xShape), 3 * k + s);
  const wValues = seededValues(sizeOf(wShape), 13 * k + s + multiplier);
  return () => {
    const x = tf.tensor4d(xValues, xShape as [number, number, number, number]);
    const w = tf.tensor4d(wValues, wShape as [number, number, number, number]);
    const yShape = tf.depthwiseConv2d(x, w, s, pad).shape;
    const dy = tf.tensor(seededValues(sizeOf(yShape), 9), yShape);
    return tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, s, pad).mul(dy).sum())([x, w]);
  };
}

describe('wasm depthwise convolution gradients', () => {
  beforeAll(prepareBackends);

  it.each(CASES)('k=$k stride=$s pad=$padLabel multiplier=$multiplier batch=$batch matches cpu',
    async ({ k, s, pad, multiplier, batch }) => {
      expect(await disagreement(depthwiseGradients(k, s, pad, multiplier, batch))).toBeLessThanOrEqual(1e-4);
    });
});

// Conv2DBackpropFilter and Conv2DBackpropInput on wasm agree with the CPU backend.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2DBackpropFilterKernel } from '../../../../electron/engine/train/backend/wasm-kernels/conv2d-backprop-filter.js';
import { disagreement, prepareBackends, seededValues, sizeOf } from './compare-backends.js';

type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;
const PADS: Pad[] = ['same', 'valid', [[0, 0], [1, 2], [2, 0], [0, 0]]];
const padName = (p: Pad) => (typeof p === 'string' ? p : 'explicit');

// Every kernel size, stride and padding; batch alternates 1 and 3 so both are covered.
const CASES = [1, 2, 3, 5].flatMap((k) => [1, 2, 3].flatMap((s) => PADS.map((pad, i) => ({
  k, s, pad, padLabel: padName(pad), batch: (k + s + i) % 2 === 0 ? 1 : 3, size: 8 + ((k + s) % 3),
}))));

function convGradients(k: number, s: number, pad: Pad, batch: number, size: number) {
  const xShape = [batch, size, size + 1, 3];
  const wShape = [k, k, 3, 4];
  const xValues = seededValues(sizeOf(xShape), 11 * k + s);
  const wValues = seededValues(sizeOf(wShape), 7 * k + s);
  return () => {
    const x = tf.tensor4d(xValues, xShape as [number, number, number, number]);
    const w = tf.tensor4d(wValues, wShape as [number, number, number, number]);
    const yShape = tf.conv2d(x, w, s, pad).shape;
    const dy = tf.tensor(seededValues(sizeOf(yShape), 5), yShape);
    // The gradient of Σ conv(x, w)·dy is (dx, dw) for that dy.
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, s, pad).mul(dy).sum())([x, w]);
    return grads;
  };
}

describe('wasm convolution gradients', () => {
  beforeAll(prepareBackends);

  it.each(CASES)('k=$k stride=$s pad=$padLabel batch=$batch matches cpu', async ({ k, s, pad, batch, size }) => {
    const error = await disagreement(convGradients(k, s, pad, batch, size));
    expect(error, `kernel ${k}, stride ${s}, pad ${padName(pad)}`).toBeLessThanOrEqual(1e-4);
  });

  it('runs our kernel for the filter gradient on wasm', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc).toBe(conv2DBackpropFilterKernel);
  });
});

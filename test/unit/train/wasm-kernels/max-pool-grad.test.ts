// MaxPoolGrad on wasm: the stock kernel is wrong for windows whose maximum is ≤ 0;
// ours agrees with the CPU backend, including on ties (first maximum wins).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureStockKernel } from '../../../../electron/engine/train/backend/wasm-kernels/kernel-scope.js';
import { useBackend } from '../../../../electron/engine/train/backend/use-backend.js';
import { disagreement, maxDifference, prepareBackends, runOn, seededValues, sizeOf } from './compare-backends.js';

type Pad = 'same' | 'valid';
const CASES = [1, 2, 3].flatMap((k) => [1, 2, 3].flatMap((s) => (['same', 'valid'] as Pad[]).map((pad) => ({
  k, s, pad, batch: (k + s) % 2 === 0 ? 1 : 3,
}))));

/** All-negative input (where the stock kernel fails) with repeated values (ties). */
function negativeInput(shape: number[], seed: number): Float32Array {
  return seededValues(sizeOf(shape), seed).map((v) => -Math.abs(Math.round(v * 4) / 4) - 0.25);
}

function poolGradient(
  k: number, s: number, pad: Pad, batch: number,
  shape: [number, number, number, number] = [batch, 9, 8, 3], xValues = negativeInput(shape, 10 * k + s),
) {
  return () => {
    const x = tf.tensor4d(xValues, shape);
    const yShape = tf.maxPool(x, k, s, pad).shape;
    const dy = tf.tensor(seededValues(sizeOf(yShape), 4), yShape);
    return [tf.grad((a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, k, s, pad).mul(dy).sum())(x)];
  };
}

describe('wasm MaxPoolGrad', () => {
  // Captured before registration replaces it.
  let stockMaxPoolGrad: tf.KernelConfig;
  beforeAll(async () => {
    await useBackend('wasm');
    stockMaxPoolGrad = captureStockKernel('MaxPoolGrad')!;
    await prepareBackends();
  });

  it('the stock kernel is wrong on an all-negative input (why we replace it)', async () => {
    const shape = [1, 4, 4, 2] as [number, number, number, number];
    const xValues = negativeInput(shape, 1);
    const reference = await runOn('cpu', poolGradient(2, 2, 'valid', 1, shape, xValues));
    const stock = await runOn('wasm', () => {
      const x = tf.tensor4d(xValues, shape);
      const y = tf.maxPool(x, 2, 2, 'valid');
      const dy = tf.tensor(seededValues(sizeOf(y.shape), 4), y.shape);
      const dx = stockMaxPoolGrad.kernelFunc({
        inputs: { dy, input: x, output: y }, backend: tf.backend(),
        attrs: { filterSize: [2, 2], strides: [2, 2], pad: 'valid' },
      }) as tf.TensorInfo;
      return [tf.engine().makeTensorFromTensorInfo(dx)];
    });
    expect(maxDifference(reference, stock)).toBeGreaterThan(0.1);
  });

  it.each(CASES)('window $k stride $s pad $pad batch $batch matches cpu on negative input with ties',
    async ({ k, s, pad, batch }) => {
      expect(await disagreement(poolGradient(k, s, pad, batch))).toBeLessThanOrEqual(1e-4);
    });

  it('sends a tied window\'s gradient to its first maximum only', async () => {
    const compute = () => [tf.grad((a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid').sum())(tf.zeros([1, 4, 6, 2]))];
    const [gradient] = await runOn('wasm', compute);
    expect(Array.from(gradient!).reduce((a, b) => a + b, 0)).toBe(12); // one pixel per window, 6 windows × 2 channels
    expect(await disagreement(compute)).toBe(0);
  });
});

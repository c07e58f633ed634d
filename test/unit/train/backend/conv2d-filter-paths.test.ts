// Both compositions of the wasm filter gradient agree with the CPU backend over the whole
// grid (each is tested directly, whichever the kernel picks for the shape), and the
// kernel picks the patch product for greyscale and colour first layers.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  filterGradientAsConvolution, filterGradientPath,
} from '../../../../electron/engine/train/backend/wasm-kernels/conv2d-backprop-filter.js';
import { filterGradientOverPatches } from '../../../../electron/engine/train/backend/wasm-kernels/conv2d-filter-im2col.js';
import { withScope, type KernelScope, type TensorInfo } from '../../../../electron/engine/train/backend/wasm-kernels/kernel-scope.js';
import { maxDifference, prepareBackends, runOn, seededValues, sizeOf } from '../wasm-kernels/compare-backends.js';

type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;
type Path = (scope: KernelScope, x: TensorInfo, dy: TensorInfo, info: tf.backend_util.Conv2DInfo) => TensorInfo;
const PADS: Pad[] = ['same', 'valid', [[0, 0], [1, 2], [2, 0], [0, 0]]];
const GRID = [1, 2, 3, 5].flatMap((k) => [1, 2, 3].flatMap((s) => PADS.map((pad, i) => ({
  k, s, pad, batch: (k + s + i) % 2 === 0 ? 1 : 3, size: 8 + ((k + s) % 3),
}))));
const describeCase = (c: (typeof GRID)[number], channels: number) =>
  `k=${c.k} s=${c.s} pad=${typeof c.pad === 'string' ? c.pad : 'explicit'} batch=${c.batch} channels=${channels}`;

/** Worst |cpu − wasm| of dW for one geometry, the wasm side computed by `path` alone. */
async function pathError(path: Path, c: (typeof GRID)[number], channels: number): Promise<number> {
  const xShape = [c.batch, c.size, c.size + 1, channels] as [number, number, number, number];
  const wShape = [c.k, c.k, channels, 4] as [number, number, number, number];
  const xValues = seededValues(sizeOf(xShape), 11 * c.k + c.s + channels);
  const yShape = tf.backend_util.computeConv2DInfo(xShape, wShape, c.s, 1, c.pad).outShape;
  const dyValues = seededValues(sizeOf(yShape), 5 + channels);
  const reference = await runOn('cpu', () => {
    const x = tf.tensor4d(xValues, xShape);
    const dy = tf.tensor(dyValues, yShape);
    return [tf.grad((w: tf.Tensor) => tf.conv2d(x, w as tf.Tensor4D, c.s, c.pad).mul(dy).sum())(tf.zeros(wShape))];
  });
  const candidate = await runOn('wasm', () => {
    const x = tf.tensor4d(xValues, xShape);
    const dy = tf.tensor(dyValues, yShape);
    const info = tf.backend_util.computeConv2DInfo(xShape, wShape, c.s, 1, c.pad);
    const dw = withScope(tf.backend(), (scope) => path(scope, x, dy, info));
    return [tf.engine().makeTensorFromTensorInfo(dw)];
  });
  return maxDifference(reference, candidate);
}

async function worstOverGrid(path: Path, channels: number): Promise<{ error: number; where: string }> {
  let worst = { error: -1, where: '' };
  for (const c of GRID) {
    const error = await pathError(path, c, channels);
    if (error > worst.error) worst = { error, where: describeCase(c, channels) };
  }
  return worst;
}

describe('wasm filter gradient compositions', () => {
  beforeAll(prepareBackends);

  it.each([1, 2, 3])('the patch product matches cpu over the grid with %i input channel(s)', async (channels) => {
    const worst = await worstOverGrid(filterGradientOverPatches, channels);
    expect(worst.error, worst.where).toBeLessThanOrEqual(1e-4);
  });

  it.each([1, 3])('the convolution form matches cpu over the grid with %i input channel(s)', async (channels) => {
    const worst = await worstOverGrid(filterGradientAsConvolution, channels);
    expect(worst.error, worst.where).toBeLessThanOrEqual(1e-4);
  });

  it('uses the patch product for greyscale and colour inputs and the convolution for wide layers', () => {
    expect([1, 3, 4, 32, 64].map(filterGradientPath)).toEqual(['patches', 'patches', 'patches', 'convolution', 'convolution']);
  });

  // memory.test.ts covers the kernel at 3 input channels (the patch product); 8 takes the convolution form.
  it.each([3, 8])('frees every intermediate at %i input channels (buffers, tensors and bytes flat over 20 runs)', async (channels) => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as BackendWasm;
    const x = tf.randomNormal([2, 9, 9, channels]);
    const dy = tf.randomNormal([2, 9, 9, 4]);
    const w = tf.zeros([3, 3, channels, 4]);
    const conv = (v: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, v as tf.Tensor4D, 1, 'same').mul(dy).sum();
    tf.dispose(tf.grad(conv)(w));
    const before = { ...tf.memory(), buffers: backend.numDataIds() };
    for (let i = 0; i < 20; i++) tf.dispose(tf.grad(conv)(w));
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    expect(backend.numDataIds()).toBe(before.buffers);
    tf.dispose([x, dy, w]);
  });
});

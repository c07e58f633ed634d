// Every composed kernel frees its intermediates: 50 runs leave the engine's tensor
// count and bytes, and the wasm backend's own buffer table, where they started.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareBackends } from './compare-backends.js';

const RUNS = 50;

type Case = [name: string, inputs: () => tf.Tensor[], loss: (...xs: tf.Tensor[]) => tf.Tensor];

// Each loss's gradient with respect to its inputs runs the named kernel.
const CASES: Case[] = [
  ['Conv2DBackpropFilter + Conv2DBackpropInput', () => [tf.ones([2, 9, 9, 3]), tf.ones([3, 3, 3, 4])],
    (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same').sum()],
  ['Conv2DBackpropInput, padding beyond the filter', () => [tf.ones([2, 9, 9, 3]), tf.ones([2, 2, 3, 4])],
    (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 3, [[0, 0], [3, 0], [0, 2], [0, 0]]).sum()],
  ['DepthwiseConv2dNative input and filter gradients', () => [tf.ones([2, 9, 9, 3]), tf.ones([3, 3, 3, 2])],
    (x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same').sum()],
  ['MaxPoolGrad, tiles (cropped)', () => [tf.ones([2, 9, 9, 3])], (x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid').sum()],
  ['MaxPoolGrad, overlapping and padded', () => [tf.ones([2, 9, 9, 3])], (x) => tf.maxPool(x as tf.Tensor4D, 3, 2, 'same').sum()],
  ['UnsortedSegmentSum (gather gradient)', () => [tf.ones([5, 3])], (t) => tf.gather(t, tf.tensor1d([0, 4, 4, 1], 'int32')).sum()],
  ['BatchMatMul with transpose flags', () => [tf.ones([4, 3]), tf.ones([5, 3])], (a, b) => tf.matMul(a!, b!, false, true).sum()],
  ['BatchMatMul batched (grouped convolution)', () => [tf.ones([2, 3, 7, 5]), tf.ones([2, 3, 7, 5])],
    (a, b) => tf.matMul(a!, b!, false, true).sum()],
  // TF.js cannot differentiate a broadcast batch, so the single matrix is a constant here.
  ['BatchMatMul one side batched (stacked rows, stacked columns)', () => [tf.ones([3, 7, 5])],
    (a) => tf.matMul(a!, tf.ones([1, 5, 4])).sum().add(tf.matMul(tf.ones([5, 4]), a!, true, true).sum())],
];

describe('wasm training kernels keep memory flat', () => {
  beforeAll(async () => {
    await prepareBackends();
    await tf.setBackend('wasm');
  });

  it.each(CASES)(`%s, ${RUNS} runs`, (_name, inputs, loss) => {
    const backend = tf.backend() as BackendWasm;
    const xs = inputs();
    const gradients = () => tf.dispose(tf.grads(loss)(xs));
    gradients(); // a first run may set up lasting state (none is expected)
    const start = { ...tf.memory(), buffers: backend.numDataIds() };
    for (let i = 0; i < RUNS; i++) gradients();
    expect(tf.memory().numTensors).toBe(start.numTensors);
    expect(tf.memory().numBytes).toBe(start.numBytes);
    expect(backend.numDataIds()).toBe(start.buffers);
    tf.dispose(xs);
  });
});

// Whole-model gradient checks: the same weights and data on cpu and on wasm (with
// our kernels) give the same gradients for a small CNN and a MobileNet-style stack.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSmallVit } from '../../../../electron/engine/train/models/small-vit.js';
import { disagreement, prepareBackends, seededValues, sizeOf } from './compare-backends.js';

type Params = Record<string, tf.Variable>;
type Forward = (x: tf.Tensor4D, p: Params) => tf.Tensor;

function makeParams(shapes: Record<string, number[]>, seed: number): () => Params {
  const values = Object.entries(shapes).map(([name, shape], i) => {
    const fanIn = shape.length > 1 ? sizeOf(shape.slice(0, -1)) : 1;
    return [name, shape, seededValues(sizeOf(shape), seed + i, Math.sqrt(2 / fanIn))] as const;
  });
  return () => Object.fromEntries(values.map(([name, shape, v]) => [name, tf.variable(tf.tensor(v, shape))]));
}

/** Gradients of a softmax cross-entropy loss with respect to every parameter, in a fixed order. */
function gradientsOf(forward: Forward, params: () => Params, xShape: number[], classes: number) {
  const xValues = seededValues(sizeOf(xShape), 99);
  const labels = Array.from({ length: xShape[0]! }, (_, i) => i % classes);
  return () => {
    const p = params();
    const x = tf.tensor4d(xValues, xShape as [number, number, number, number]);
    const y = tf.oneHot(tf.tensor1d(labels, 'int32'), classes);
    const { grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, forward(x, p)) as tf.Scalar);
    const ordered = Object.keys(p).map((name) => grads[p[name]!.name]!);
    Object.values(p).forEach((v) => v.dispose());
    return ordered;
  };
}

const smallCnn: Forward = (x, p) => {
  let h = tf.relu(tf.conv2d(x, p.c1 as tf.Tensor4D, 1, 'valid').add(p.b1!));
  h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
  h = tf.relu(tf.conv2d(h as tf.Tensor4D, p.c2 as tf.Tensor4D, 1, 'valid').add(p.b2!));
  h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
  return tf.matMul(h.reshape([h.shape[0]!, -1]), p.d1 as tf.Tensor2D).add(p.e1!);
};

// Batch-norm-like normalisation over the batch, then relu6, as MobileNet does.
function normalise(h: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(h, [0, 1, 2]);
  return tf.relu6(h.sub(mean).div(variance.add(1e-3).sqrt()).mul(gamma).add(beta));
}

const mobileNetBlock: Forward = (x, p) => {
  let h = normalise(tf.conv2d(x, p.stem as tf.Tensor4D, 2, 'same'), p.g1!, p.be1!);
  h = normalise(tf.depthwiseConv2d(h as tf.Tensor4D, p.dw1 as tf.Tensor4D, 1, 'same'), p.g2!, p.be2!);
  h = normalise(tf.conv2d(h as tf.Tensor4D, p.pw1 as tf.Tensor4D, 1, 'same'), p.g3!, p.be3!);
  h = tf.relu6(tf.depthwiseConv2d(h as tf.Tensor4D, p.dw2 as tf.Tensor4D, 2, 'same'));
  h = tf.maxPool(h as tf.Tensor4D, 3, 2, 'same'); // overlapping windows, after relu6 (ties at 0 and 6)
  return tf.matMul(h.mean([1, 2]), p.head as tf.Tensor2D);
};

/**
 * Gradients of the app's small ViT (patches, positions, pre-norm attention blocks with
 * batched Q·Kᵀ and A·V, GELU MLP, token average) at 28 px, built from the same seed on
 * each backend (its initialisers draw in JavaScript), without dropout.
 */
function vitGradients(batch: number): () => tf.Tensor[] {
  const xValues = seededValues(batch * 28 * 28, 7);
  const labels = Array.from({ length: batch }, (_, i) => i % 10);
  return () => {
    const model = buildSmallVit({ inputSize: 28, channels: 1, numClasses: 10, depth: 2, dropout: 0, seed: 5 });
    const x = tf.tensor4d(xValues, [batch, 28, 28, 1]);
    const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
    const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, weights);
    const ordered = weights.map((w) => grads[w.name]!);
    model.dispose();
    return ordered;
  };
}

describe('whole-model gradients on wasm', () => {
  beforeAll(prepareBackends);

  it('small CNN (conv32-pool-conv64-pool-dense) matches cpu', async () => {
    const params = makeParams({
      c1: [3, 3, 1, 32], b1: [32], c2: [3, 3, 32, 64], b2: [64], d1: [2 * 2 * 64, 10], e1: [10],
    }, 1);
    const error = await disagreement(gradientsOf(smallCnn, params, [3, 14, 14, 1], 10), true);
    expect(error).toBeLessThanOrEqual(1e-4);
  });

  it('MobileNet-style stack (conv, depthwise ×2 incl. multiplier 2, normalisation, relu6) matches cpu', async () => {
    const params = makeParams({
      stem: [3, 3, 3, 8], g1: [8], be1: [8], dw1: [3, 3, 8, 1], g2: [8], be2: [8],
      pw1: [1, 1, 8, 16], g3: [16], be3: [16], dw2: [3, 3, 16, 2], head: [32, 5],
    }, 20);
    const error = await disagreement(gradientsOf(mobileNetBlock, params, [2, 16, 16, 3], 5), true);
    expect(error).toBeLessThanOrEqual(1e-4);
  });

  it('small ViT (28 px, 7×7 tokens, 4 heads, 2 blocks) matches cpu', async () => {
    const error = await disagreement(vitGradients(4), true);
    expect(error).toBeLessThanOrEqual(1e-4);
  });
});

// Folding batch norms into convolutions must not change what a frozen backbone computes:
// a hand-built model covers every rule (conv and depthwise, ReLU / ReLU6 / Activation,
// ZeroPadding2D, a conv read twice that must stay unfolded), and the bundled MobileNetV2
// layers model is checked on random and on real decoded pictures.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../../electron/engine/train/backend/use-backend.js';
import { loadBackbone, type Backbone } from '../../../../electron/engine/train/backbones/backbone.js';
import { bundledBackbone } from '../../../../electron/engine/train/backbones/bundled.js';
import { foldBatchNorm } from '../../../../electron/engine/train/backbones/fold-batch-norm.js';
import { decodeImage } from '../../../../electron/engine/train/data/decode-image.js';
import { rng, tempDir, writePicture } from '../../../fixtures/images/make-images.js';

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

/** BN statistics far from the identity, so a wrong fold shows. */
function randomizeBatchNorms(model: tf.LayersModel, seed: number): void {
  const rand = rng(seed);
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const weights = layer.getWeights();
    const values = weights.map((w, i) =>
      // [gamma], [beta], moving mean, moving variance (last, positive)
      tf.tensor(Array.from({ length: w.size }, () => (i === weights.length - 1 ? 0.2 + rand() * 2 : (rand() - 0.5) * 3)), w.shape),
    );
    layer.setWeights(values);
    tf.dispose(values);
  }
}

function handBuilt(): tf.LayersModel {
  const input = tf.input({ shape: [21, 21, 3] });
  let x = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', useBias: true, name: 'c1' }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'c1_bn', epsilon: 1e-3 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ maxValue: 6, name: 'c1_relu6' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]], name: 'd1_pad' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, depthMultiplier: 2, padding: 'valid', useBias: false, name: 'd1' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'd1_bn', epsilon: 1e-5 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.activation({ activation: 'relu', name: 'd1_relu' }).apply(x) as tf.SymbolicTensor;
  // Read twice (by its BN and by the Add): the unnormalised map is needed, so no fold.
  const shared = tf.layers.conv2d({ filters: 16, kernelSize: 1, useBias: false, name: 'c2' }).apply(x) as tf.SymbolicTensor;
  const normed = tf.layers.batchNormalization({ name: 'c2_bn' }).apply(shared) as tf.SymbolicTensor;
  x = tf.layers.add({ name: 'sum' }).apply([shared, normed]) as tf.SymbolicTensor;
  // A BN without scale and centre, then a conv with a built-in activation (kept as is).
  x = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'c3' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'c3_bn', scale: false, center: false }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: x });
  randomizeBatchNorms(model, 7);
  return model;
}

describe('foldBatchNorm', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('folds every foldable conv → BN → ReLU chain of a hand-built model and computes the same', async () => {
    const model = handBuilt();
    const before = tf.memory().numTensors;
    const { model: folded, foldedBatchNorms, fusedActivations, foldedPaddings } = await foldBatchNorm(model);
    expect({ foldedBatchNorms, fusedActivations, foldedPaddings }).toEqual({ foldedBatchNorms: 3, fusedActivations: 2, foldedPaddings: 1 });
    const kinds = folded.layers.map((l) => l.getClassName());
    // Only c2's BN is left, with the layers that need no folding.
    expect(kinds.filter((k) => k === 'BatchNormalization')).toHaveLength(1);
    expect(folded.getLayer('c2_bn')).toBeDefined();
    expect(kinds).not.toContain('ReLU');
    expect(kinds).not.toContain('ZeroPadding2D');
    expect(kinds).not.toContain('Activation');
    // The source keeps its layers.
    expect(model.layers.map((l) => l.name)).toContain('c1_bn');

    const x = tf.randomUniform([3, 21, 21, 3], -2, 2, 'float32', 11);
    const a = model.predict(x) as tf.Tensor;
    const b = folded.predict(x) as tf.Tensor;
    expect(b.shape).toEqual(a.shape);
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-4);
    // The values are not trivially zero (ReLU6 clamps nothing away entirely).
    expect(tf.tidy(() => tf.max(tf.abs(a)).dataSync()[0]!)).toBeGreaterThan(0.1);
    tf.dispose([a, b]);

    // The copy owns its weights: it still runs once the source is gone.
    model.dispose();
    const c = folded.predict(x) as tf.Tensor;
    expect(c.shape).toEqual([3, 4]);
    tf.dispose([c, x]);
    folded.dispose();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  });

  it('refuses a Sequential model by name of its class', async () => {
    const seq = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    await expect(foldBatchNorm(seq)).rejects.toThrow(/functional model, got a Sequential/);
    seq.dispose();
  });

  describe('on the bundled MobileNetV2 layers backbone', () => {
    let backbone: Backbone;
    let dir: string;
    beforeAll(async () => {
      backbone = await loadBackbone(bundledBackbone('nsfwjs-mobilenet-v2'));
      dir = tempDir('holdout-fold-');
    });
    afterAll(() => {
      backbone?.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('folds all 52 batch norms, fuses the 35 ReLU6 and the 5 paddings, and matches within 1e-4', async () => {
      const model = backbone.layersModel!;
      const { model: folded, foldedBatchNorms, fusedActivations, foldedPaddings } = await foldBatchNorm(model);
      try {
        expect({ foldedBatchNorms, fusedActivations, foldedPaddings }).toEqual({ foldedBatchNorms: 52, fusedActivations: 35, foldedPaddings: 5 });
        expect(folded.layers.some((l) => l.getClassName() === 'BatchNormalization')).toBe(false);
        // Real pictures, decoded as training decodes them, and random values.
        const pictures = await Promise.all(
          [3, 4].map(async (seed) => {
            const file = path.join(dir, `p${seed}.jpg`);
            await writePicture(file, 'jpeg', { width: 300, height: 200, seed });
            return decodeImage(file, file, { size: 224, channels: 3, resize: 'fill' });
          }),
        );
        const real = tf.tidy(() => backbone.preprocess(tf.div(tf.tensor4d(Buffer.concat(pictures), [2, 224, 224, 3], 'int32').toFloat(), 255) as tf.Tensor4D));
        const random = tf.randomUniform([2, 224, 224, 3], 0, 1, 'float32', 5);
        for (const x of [real, random]) {
          const a = model.predict(x) as tf.Tensor;
          const b = folded.predict(x) as tf.Tensor;
          expect(b.shape).toEqual([2, 1280]);
          expect(maxAbsDiff(a, b)).toBeLessThan(1e-4);
          tf.dispose([a, b]);
        }
        tf.dispose([real, random]);
      } finally {
        folded.dispose();
      }
    });
  });
});

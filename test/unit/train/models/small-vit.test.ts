import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../../electron/api/errors.js';
import { useBackend } from '../../../../electron/engine/train/backend/use-backend.js';
import { countParams } from '../../../../electron/engine/train/models/describe-model.js';
import { buildSmallVit, defaultPatchSize } from '../../../../electron/engine/train/models/small-vit.js';
import { brightDarkTask, inferenceLoss, maxAbsDiff, trainSteps, weightValues } from './model-test-helpers.js';

beforeAll(async () => {
  await useBackend('cpu');
});

const tiny = { inputSize: 8, channels: 1, numClasses: 2, patchSize: 4, dim: 16, depth: 1, heads: 2, seed: 3 };

describe('buildSmallVit', () => {
  it('has the expected size at the defaults for 28 px greyscale and gives probabilities', () => {
    const model = buildSmallVit({ inputSize: 28, channels: 1, numClasses: 10, seed: 1 });
    const dim = 64;
    const perBlock = 2 * 2 * dim + 4 * (dim * dim + dim) + (dim * 2 * dim + 2 * dim) + (2 * dim * dim + dim);
    const patches = 4 * 4 * 1 * dim + dim;
    const positions = 7 * 7 * dim;
    expect(countParams(model)).toBe(patches + positions + 4 * perBlock + 2 * dim + dim * 10 + 10);
    expect(model.getLayer('patch_embedding').outputShape).toEqual([null, 49, dim]);
    const probs = model.predict(tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 5)) as tf.Tensor;
    expect(probs.shape).toEqual([2, 10]);
    for (const s of probs.sum(1).arraySync() as number[]) expect(s).toBeCloseTo(1, 5);
  });

  it('embeds patches exactly as a convolution with kernel = stride = patch', () => {
    const model = buildSmallVit({ ...tiny, inputSize: 12, channels: 3, patchSize: 4 });
    const layer = model.getLayer('patch_embedding');
    const [kernel, bias] = layer.getWeights() as [tf.Tensor4D, tf.Tensor1D];
    tf.tidy(() => {
      layer.setWeights([kernel, tf.randomNormal(bias.shape, 0, 1, 'float32', 2)]);
      const x = tf.randomUniform([2, 12, 12, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
      const conv = tf.add(tf.conv2d(x, kernel, 4, 'valid'), layer.getWeights()[1]!); // [2, 3, 3, dim]
      const expected = tf.reshape(conv, [2, 9, tiny.dim]);
      expect(maxAbsDiff(layer.apply(x) as tf.Tensor, expected)).toBeLessThan(1e-5);
    });
  });

  it("normalises like TF.js's own LayerNormalization (without its tiling)", () => {
    const model = buildSmallVit(tiny);
    const ours = model.getLayer('block1_norm_attention');
    const gamma = tf.randomNormal([tiny.dim], 1, 0.3, 'float32', 1);
    const beta = tf.randomNormal([tiny.dim], 0, 0.3, 'float32', 2);
    ours.setWeights([gamma, beta]);
    const reference = tf.layers.layerNormalization({ epsilon: 1e-6 });
    const x = tf.randomNormal([3, 4, tiny.dim], 2, 3, 'float32', 3);
    reference.apply(x);
    reference.setWeights([gamma, beta]);
    expect(maxAbsDiff(ours.apply(x) as tf.Tensor, reference.apply(x) as tf.Tensor)).toBeLessThan(1e-4);
  });

  it('attends per head: softmax(q·kᵀ/√d)·v, heads concatenated, then the output projection', () => {
    const model = buildSmallVit({ ...tiny, dim: 8, heads: 2 });
    const layer = model.getLayer('block1_attention');
    const w = layer.getWeights(); // query, key, value, output: kernel then bias each
    const random = w.map((t, i) => tf.randomNormal(t.shape, 0, 0.5, 'float32', 20 + i));
    layer.setWeights(random);
    const [wq, bq, wk, bk, wv, bv, wo, bo] = random as [tf.Tensor2D, tf.Tensor, tf.Tensor2D, tf.Tensor, tf.Tensor2D, tf.Tensor, tf.Tensor2D, tf.Tensor];
    const x = tf.randomNormal([2, 4, 8], 0, 1, 'float32', 30) as tf.Tensor3D;
    const perSample = [0, 1].map((b) => {
      const t = tf.squeeze(tf.slice(x, [b, 0, 0], [1, 4, 8]), [0]) as tf.Tensor2D;
      const q = tf.add(tf.matMul(t, wq), bq) as tf.Tensor2D;
      const k = tf.add(tf.matMul(t, wk), bk) as tf.Tensor2D;
      const v = tf.add(tf.matMul(t, wv), bv) as tf.Tensor2D;
      const heads = [0, 1].map((h) => {
        const part = (m: tf.Tensor2D) => tf.slice(m, [0, h * 4], [4, 4]);
        const scores = tf.div(tf.matMul(part(q), part(k), false, true), 2); // √4
        return tf.matMul(tf.softmax(scores), part(v));
      });
      return tf.add(tf.matMul(tf.concat(heads, 1), wo), bo);
    });
    expect(maxAbsDiff(layer.apply(x) as tf.Tensor, tf.stack(perSample))).toBeLessThan(1e-5);
  });

  it('gives the same initial weights for the same seed', () => {
    expect([...weightValues(buildSmallVit(tiny)).values()]).toEqual([...weightValues(buildSmallVit(tiny)).values()]);
    const other = [...weightValues(buildSmallVit({ ...tiny, seed: 4 })).values()];
    expect(other[0]).not.toEqual([...weightValues(buildSmallVit(tiny)).values()][0]);
  });

  it('saves and loads through the TF.js model format with identical predictions', async () => {
    const model = buildSmallVit({ ...tiny, inputSize: 16 });
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    expect(JSON.stringify(saved!.modelTopology)).toContain('HoldoutSelfAttention');
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    const x = tf.randomUniform([3, 16, 16, 1], 0, 1, 'float32', 6);
    expect(maxAbsDiff(loaded.predict(x) as tf.Tensor, model.predict(x) as tf.Tensor)).toBe(0);
    expect(loaded.getLayer('block1_attention').getConfig()).toMatchObject({ heads: 2 });
  });

  it('learns bright vs dark in a few steps on the cpu backend', async () => {
    const { x, y } = brightDarkTask(8, 1);
    const model = buildSmallVit({ ...tiny, dropout: 0 });
    const before = inferenceLoss(model, x, y);
    await trainSteps(model, x, y, 25);
    expect(inferenceLoss(model, x, y)).toBeLessThan(before * 0.5);
  });

  it('picks about 8×8 patches by default and names a bad option', () => {
    expect([28, 32, 64, 96, 224].map(defaultPatchSize)).toEqual([4, 4, 8, 12, 28]);
    const fieldOf = (o: object): string | undefined => {
      try {
        buildSmallVit({ ...tiny, ...o });
      } catch (e) {
        return e instanceof ApiError ? e.field : 'not an ApiError';
      }
      return undefined;
    };
    expect(fieldOf({ patchSize: 3 })).toBe('patchSize');
    expect(fieldOf({ heads: 3 })).toBe('heads');
    expect(fieldOf({ mlpActivation: 'swish' })).toBe('mlpActivation');
  });
});

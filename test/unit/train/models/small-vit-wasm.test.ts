// The ViT needs no convolution gradient (its patch embedding is a matrix product), so it
// trains on the WebAssembly backend of TF.js 4.22 as shipped: no missing kernel, and the
// same forward result as the cpu backend.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../../electron/engine/train/backend/use-backend.js';
import { buildSmallVit } from '../../../../electron/engine/train/models/small-vit.js';
import { brightDarkTask, inferenceLoss, trainSteps } from './model-test-helpers.js';

beforeAll(async () => {
  await useBackend('wasm');
});

const tiny = { inputSize: 8, channels: 1, numClasses: 2, patchSize: 4, dim: 16, depth: 1, heads: 2, dropout: 0, seed: 3 };

describe('buildSmallVit on wasm', () => {
  it('trains: the loss falls on bright vs dark', async () => {
    expect(tf.getBackend()).toBe('wasm');
    const { x, y } = brightDarkTask(8, 1);
    const model = buildSmallVit(tiny);
    const before = inferenceLoss(model, x, y);
    await trainSteps(model, x, y, 25);
    expect(inferenceLoss(model, x, y)).toBeLessThan(before * 0.5);
  });

  it('predicts what the cpu backend predicts', async () => {
    const model = buildSmallVit({ ...tiny, inputSize: 16, depth: 2 });
    const x = tf.randomUniform([4, 16, 16, 1], 0, 1, 'float32', 12);
    const onWasm = (model.predict(x) as tf.Tensor).dataSync().slice();
    await useBackend('cpu');
    try {
      const onCpu = (model.predict(x) as tf.Tensor).dataSync();
      for (let i = 0; i < onCpu.length; i++) expect(onWasm[i]).toBeCloseTo(onCpu[i]!, 5);
    } finally {
      await useBackend('wasm');
    }
  });
});

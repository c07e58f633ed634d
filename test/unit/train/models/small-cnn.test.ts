import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../../electron/api/errors.js';
import { useBackend } from '../../../../electron/engine/train/backend/use-backend.js';
import { countParams } from '../../../../electron/engine/train/models/describe-model.js';
import { buildSmallCnn } from '../../../../electron/engine/train/models/small-cnn.js';
import { brightDarkTask, inferenceLoss, trainSteps, weightValues } from './model-test-helpers.js';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('buildSmallCnn', () => {
  it('is conv32-pool-conv64-pool-flatten-dropout-dense128-dropout-softmax on 28 px greyscale', () => {
    const model = buildSmallCnn({ inputSize: 28, channels: 1, numClasses: 10, seed: 1 });
    expect(model.layers.map((l) => l.getClassName())).toEqual([
      'InputLayer', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dropout', 'Dense', 'Dropout', 'Dense',
    ]);
    // conv 3·3·1·32+32, conv 3·3·32·64+64, dense 7·7·64·128+128, dense 128·10+10
    expect(countParams(model)).toBe(320 + 18_496 + 401_536 + 1_290);
    const probs = model.predict(tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 1)) as tf.Tensor;
    expect(probs.shape).toEqual([3, 10]);
    for (const s of probs.sum(1).arraySync() as number[]) expect(s).toBeCloseTo(1, 5);
  });

  it('adds a third block and averages the map above 64 px, so the dense layer stays small', () => {
    const model = buildSmallCnn({ inputSize: 96, channels: 3, numClasses: 4, seed: 1 });
    expect(model.getLayer('conv3').outputShape).toEqual([null, 24, 24, 128]);
    expect(model.getLayer('global_pool').outputShape).toEqual([null, 128]);
    expect(model.getLayer('dense_hidden').getWeights()[0]!.shape).toEqual([128, 128]);
    const probs = model.predict(tf.randomUniform([2, 96, 96, 3], 0, 1, 'float32', 2)) as tf.Tensor;
    expect(probs.shape).toEqual([2, 4]);
    for (const s of probs.sum(1).arraySync() as number[]) expect(s).toBeCloseTo(1, 5);
    // 64 px still flattens: 16·16·64 values into the dense layer.
    expect(buildSmallCnn({ inputSize: 64, channels: 1, numClasses: 2, seed: 1 }).getLayer('flatten').outputShape).toEqual([null, 16 * 16 * 64]);
  });

  it('gives the same initial weights for the same seed', () => {
    const options = { inputSize: 16, channels: 1, numClasses: 2, seed: 11, width: 8 };
    expect([...weightValues(buildSmallCnn(options)).values()]).toEqual([...weightValues(buildSmallCnn(options)).values()]);
    expect([...weightValues(buildSmallCnn({ ...options, seed: 12 })).values()][0]).not.toEqual(
      [...weightValues(buildSmallCnn(options)).values()][0],
    );
  });

  it('learns bright vs dark in a few steps on the cpu backend', async () => {
    const { x, y } = brightDarkTask(8, 1);
    const model = buildSmallCnn({ inputSize: 8, channels: 1, numClasses: 2, dropout: 0.2, seed: 5, width: 8 });
    const before = inferenceLoss(model, x, y);
    const losses = await trainSteps(model, x, y, 6);
    expect(inferenceLoss(model, x, y)).toBeLessThan(before * 0.5);
  });

  it('rejects an input size it cannot pool twice, naming the field', () => {
    expect(() => buildSmallCnn({ inputSize: 4, channels: 1, numClasses: 2, seed: 1 })).toThrow(ApiError);
    expect(() => buildSmallCnn({ inputSize: 4, channels: 1, numClasses: 2, seed: 1 })).toThrow(/inputSize/);
  });
});

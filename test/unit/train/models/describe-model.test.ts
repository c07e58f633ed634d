import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../../electron/engine/train/backend/use-backend.js';
import { countParams, trainableParamCount } from '../../../../electron/engine/train/models/describe-model.js';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('parameter counts', () => {
  it('counts every weight, and only the trained ones as trainable', () => {
    const input = tf.input({ shape: [4, 4, 1] });
    const conv = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', name: 'conv' });
    const x = tf.layers.batchNormalization({ name: 'bn' }).apply(conv.apply(input));
    const out = tf.layers.dense({ units: 3, name: 'dense' }).apply(tf.layers.flatten().apply(x)) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    // conv 3·3·1·2 + 2; batch norm 4 × 2 (gamma, beta, moving mean, moving variance); dense 32·3 + 3
    expect(countParams(model)).toBe(20 + 8 + 99);
    expect(trainableParamCount(model)).toBe(20 + 4 + 99); // the moving statistics are not trained
    conv.trainable = false;
    expect(trainableParamCount(model)).toBe(4 + 99);
    expect(countParams(model)).toBe(127);
  });
});

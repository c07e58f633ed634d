import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../../electron/api/errors.js';
import { useBackend } from '../../../../electron/engine/train/backend/use-backend.js';
import { trainableParamCount } from '../../../../electron/engine/train/models/describe-model.js';
import { buildFineTune, buildFineTuneModel } from '../../../../electron/engine/train/models/fine-tune.js';
import { buildSmallCnn } from '../../../../electron/engine/train/models/small-cnn.js';
import { brightDarkTask, inferenceLoss, maxAbsDiff, tinyMobileNet, trainSteps, weightValues } from './model-test-helpers.js';

beforeAll(async () => {
  await useBackend('cpu');
});

const head = { numClasses: 2, hiddenUnits: 8, dropout: 0, seed: 1 };
const trainableNames = (m: tf.LayersModel) => m.layers.filter((l) => l.trainableWeights.length > 0).map((l) => l.name);

describe('buildFineTune', () => {
  it('pools the feature map, adds the head, and gives probabilities', () => {
    const model = buildFineTuneModel({ backbone: tinyMobileNet(), featureLayer: 'out_relu', trainableTop: { blocks: 1 }, ...head });
    expect(model.getLayer('head_feature_pool').outputShape).toEqual([null, 32]);
    expect(() => model.getLayer('predictions')).toThrow(); // the backbone's own classifier is cut off
    const probs = model.predict(tf.randomUniform([3, 16, 16, 3], 0, 1, 'float32', 1)) as tf.Tensor;
    expect(probs.shape).toEqual([3, 2]);
    for (const s of probs.sum(1).arraySync() as number[]) expect(s).toBeCloseTo(1, 5);
  });

  it('unfreezes the top blocks (and the layers above them), never batch normalisation', () => {
    const one = buildFineTune({ backbone: tinyMobileNet(), featureLayer: 'out_relu', trainableTop: { blocks: 1 }, ...head });
    expect(one.plan).toMatchObject({ basis: 'blocks', blocks: [3], fellBackToLayers: false });
    expect(trainableNames(one.model)).toEqual(['block_3_expand', 'block_3_depthwise', 'block_3_project', 'Conv_1', 'head_hidden', 'head_output']);
    const two = buildFineTune({ backbone: tinyMobileNet(), featureLayer: 'out_relu', trainableTop: { blocks: 2 }, ...head });
    expect(two.plan.blocks).toEqual([2, 3]);
    expect(trainableNames(two.model)).toEqual([
      'block_2_expand', 'block_2_depthwise', 'block_2_project', 'block_3_expand', 'block_3_depthwise', 'block_3_project', 'Conv_1', 'head_hidden', 'head_output',
    ]);
    const all = buildFineTune({ backbone: tinyMobileNet(), featureLayer: 'out_relu', trainableTop: { blocks: 9 }, ...head });
    expect(trainableNames(all.model)[0]).toBe('Conv1');
    const none = buildFineTune({ backbone: tinyMobileNet(), featureLayer: 'out_relu', trainableTop: { blocks: 0 }, ...head });
    expect(trainableNames(none.model)).toEqual(['head_hidden', 'head_output']);
    for (const m of [one.model, two.model, all.model]) {
      for (const l of m.layers.filter((x) => x.getClassName() === 'BatchNormalization')) expect(l.trainableWeights).toHaveLength(0);
    }
  });

  it('counts layers when asked, or when the backbone has no block_<n>_ names', () => {
    const byLayers = buildFineTune({ backbone: tinyMobileNet(), featureLayer: 'out_relu', trainableTop: { layers: 2 }, ...head });
    expect(byLayers.plan.trainableLayers).toEqual(['block_3_project', 'Conv_1']);
    const plain = buildSmallCnn({ inputSize: 16, channels: 3, numClasses: 3, seed: 1, width: 4 });
    const fallback = buildFineTune({ backbone: plain, featureLayer: 'pool2', trainableTop: { blocks: 1 }, ...head });
    expect(fallback.plan).toMatchObject({ basis: 'layers', fellBackToLayers: true, trainableLayers: ['conv2'] });
  });

  it('a training step changes the unfrozen weights only, and leaves the loaded backbone alone', async () => {
    const backbone = tinyMobileNet();
    const backboneBefore = weightValues(backbone);
    const model = buildFineTuneModel({ backbone, featureLayer: 'out_relu', trainableTop: { blocks: 1 }, ...head });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const { x, y } = brightDarkTask(16, 3, 8);
    const before = weightValues(model);
    await model.trainOnBatch(x, y);
    const trainable = new Set(model.trainableWeights.map((w) => w.name));
    expect(trainable.size).toBe(2 * 2 + 4); // four backbone kernels (no biases), two head dense layers
    for (const w of model.weights) {
      const changed = maxAbsDiff(tf.tensor(before.get(w.name)!, w.shape as number[]), w.read()) > 0;
      expect({ weight: w.originalName, changed }).toEqual({ weight: w.originalName, changed: trainable.has(w.name) });
    }
    for (const w of backbone.weights) expect(w.read().dataSync()).toEqual(backboneBefore.get(w.name));
    expect(backbone.layers.filter((l) => l.weights.length > 0).every((l) => l.trainable)).toBe(true);
    expect(trainableParamCount(model)).toBeLessThan(trainableParamCount(backbone));
  });

  it('keeps batch normalisation on its moving statistics in training mode', () => {
    const model = buildFineTuneModel({ backbone: tinyMobileNet(), featureLayer: 'out_relu', trainableTop: { blocks: 1 }, ...head });
    const x = tf.randomUniform([4, 16, 16, 3], 0, 1, 'float32', 3);
    // With dropout 0 the only thing `training` could change is batch normalisation.
    expect(maxAbsDiff(model.apply(x, { training: true }) as tf.Tensor, model.predict(x) as tf.Tensor)).toBe(0);
    // Why the pin is needed: TF.js's BN uses the batch's statistics when training even if not trainable.
    const plain = tinyMobileNet();
    plain.layers.forEach((l) => (l.trainable = false));
    expect(maxAbsDiff(plain.apply(x, { training: true }) as tf.Tensor, plain.predict(x) as tf.Tensor)).toBeGreaterThan(1e-4);
  });

  it('learns bright vs dark through the unfrozen block', async () => {
    const { x, y } = brightDarkTask(8, 3, 8);
    const model = buildFineTuneModel({ backbone: tinyMobileNet(8), featureLayer: 'out_relu', trainableTop: { blocks: 1 }, ...head, hiddenUnits: 16 });
    const before = inferenceLoss(model, x, y);
    await trainSteps(model, x, y, 12, 0.03);
    expect(inferenceLoss(model, x, y)).toBeLessThan(before * 0.5);
  });

  it('names featureLayer when it is missing or unusable, and trainableTop when out of range', () => {
    const field = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return e instanceof ApiError ? e.field : String(e);
      }
      return undefined;
    };
    const backbone = tinyMobileNet();
    expect(field(() => buildFineTuneModel({ backbone, featureLayer: 'no_such', trainableTop: { blocks: 1 }, ...head }))).toBe('featureLayer');
    expect(field(() => buildFineTuneModel({ backbone, featureLayer: 'out_relu', trainableTop: { blocks: -1 }, ...head }))).toBe('trainableTop.blocks');
  });
});

// Fine-tuning as a folded frozen trunk + a trainable top must compute and learn exactly
// what the whole model does, while the gradient tape no longer holds the trunk's
// activations; where the trained part does not start at one tensor, no split is made.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../../electron/engine/train/backend/use-backend.js';
import { buildFineTune, type FineTuneModel } from '../../../../electron/engine/train/models/fine-tune.js';
import { splitFineTune, type FineTuneSplit } from '../../../../electron/engine/train/models/fine-tune-split.js';
import { splitAtTrainable } from '../../../../electron/engine/train/models/split-at-trainable.js';
import { makeOptimizer } from '../../../../electron/engine/train/optimizers/make-optimizer.js';
import { crossEntropy } from '../../../../electron/engine/train/run/metrics.js';
import { brightDarkTask, maxAbsDiff, tinyMobileNet } from './model-test-helpers.js';

beforeAll(async () => {
  await useBackend('cpu');
});

/** BN statistics far from the identity, so a wrong fold or a BN in training mode shows. */
function randomizeBatchNorms(model: tf.LayersModel, seed: number): void {
  for (const layer of model.layers.filter((l) => l.getClassName() === 'BatchNormalization')) {
    const values = layer.getWeights().map((w, i, all) =>
      i === all.length - 1 ? tf.randomUniform(w.shape, 0.3, 2, 'float32', seed++) : tf.randomUniform(w.shape, -1, 1, 'float32', seed++),
    );
    layer.setWeights(values);
    tf.dispose(values);
  }
}

function backbone(size = 16): tf.LayersModel {
  const b = tinyMobileNet(size);
  randomizeBatchNorms(b, 11);
  return b;
}

const head = { numClasses: 2, hiddenUnits: 8, dropout: 0, seed: 1 };

async function mustSplit(ft: FineTuneModel): Promise<FineTuneSplit> {
  const { split, reason } = await splitFineTune(ft);
  if (!split) throw new Error(`expected a split: ${reason}`);
  return split;
}

const byName = (weights: tf.LayerVariable[]) => new Map(weights.map((w) => [w.originalName, w]));

describe('splitFineTune', () => {
  it('cuts below the first trained block, and the top trains exactly the model’s trainable weights', async () => {
    const ft = buildFineTune({ backbone: backbone(), featureLayer: 'out_relu', trainableTop: { blocks: 1 }, ...head });
    const split = await mustSplit(ft);
    expect(split.cutLayer).toBe('block_2_add');
    expect(split.top.inputs[0]!.shape).toEqual([null, 8, 8, 8]);
    // The very same variables: a step on the top is a step on the model.
    const model = byName(ft.model.trainableWeights);
    const top = byName(split.top.trainableWeights);
    expect([...top.keys()].sort()).toEqual([...model.keys()].sort());
    for (const [name, w] of top) expect(w.read()).toBe(model.get(name)!.read());
    // The trunk is a folded inference copy: nothing in it trains, no BN is left.
    expect(split.trunk.trainableWeights).toHaveLength(0);
    expect(split.trunk.layers.some((l) => l.getClassName() === 'BatchNormalization')).toBe(false);
    const twoBlocks = await mustSplit(buildFineTune({ backbone: backbone(), featureLayer: 'out_relu', trainableTop: { blocks: 2 }, ...head }));
    expect(twoBlocks.cutLayer).toBe('block_1_add');
  });

  it('leaves the saved form of the model as it was: checkpoints from before the split load as ever', async () => {
    const ft = buildFineTune({ backbone: backbone(), featureLayer: 'out_relu', trainableTop: { blocks: 1 }, ...head });
    const before = JSON.stringify(ft.model.toJSON(null, false));
    await mustSplit(ft);
    expect(JSON.stringify(ft.model.toJSON(null, false))).toBe(before);
  });

  it('predicts what the whole model predicts (within 1e-4), in training mode too', async () => {
    const ft = buildFineTune({ backbone: backbone(), featureLayer: 'out_relu', trainableTop: { blocks: 1 }, ...head });
    const split = await mustSplit(ft);
    const x = tf.randomUniform([5, 16, 16, 3], 0, 1, 'float32', 3);
    const whole = ft.model.predict(x) as tf.Tensor;
    const viaSplit = split.top.predict(split.trunk.predict(x) as tf.Tensor) as tf.Tensor;
    expect(maxAbsDiff(whole, viaSplit)).toBeLessThan(1e-4);
    // A fold that ignored the BN statistics would be far off: they were randomised.
    expect(maxAbsDiff(whole, ft.model.apply(x, { training: true }) as tf.Tensor)).toBe(0);
    const features = split.trunk.predict(x) as tf.Tensor;
    expect(maxAbsDiff(split.top.apply(features, { training: true }) as tf.Tensor, whole)).toBeLessThan(1e-4);
  });

  it('one optimizer step on the top updates the trainable weights as a step on the whole model does', async () => {
    const source = backbone();
    // Two independent copies of the same weights (no shareBackbone): one steps whole, one split.
    const a = buildFineTune({ backbone: source, featureLayer: 'out_relu', trainableTop: { blocks: 1 }, ...head });
    const b = buildFineTune({ backbone: source, featureLayer: 'out_relu', trainableTop: { blocks: 1 }, ...head });
    const split = await mustSplit(b);
    const { x, y } = brightDarkTask(16, 3, 8);
    const before = byName(a.model.trainableWeights);
    const initial = new Map([...before].map(([n, w]) => [n, w.read().clone()]));
    for (const kind of ['sgd', 'adamw'] as const) {
      const optA = makeOptimizer({ kind, learningRate: 0.05, weightDecay: 0.01, momentum: 0.9 });
      const optB = makeOptimizer({ kind, learningRate: 0.05, weightDecay: 0.01, momentum: 0.9 });
      const varsA = a.model.trainableWeights.map((w) => w.read() as tf.Variable);
      const varsB = split.top.trainableWeights.map((w) => w.read() as tf.Variable);
      for (let step = 0; step < 2; step++) {
        const lossA = optA.minimize(() => crossEntropy(a.model.apply(x, { training: true }) as tf.Tensor, y), true, varsA)!;
        const features = split.trunk.predict(x) as tf.Tensor;
        const lossB = optB.minimize(() => crossEntropy(split.top.apply(features, { training: true }) as tf.Tensor, y), true, varsB)!;
        expect(Math.abs(lossA.dataSync()[0]! - lossB.dataSync()[0]!)).toBeLessThan(1e-5);
        tf.dispose([lossA, lossB, features]);
      }
      const after = byName(b.model.trainableWeights);
      let moved = 0;
      for (const [name, w] of byName(a.model.trainableWeights)) {
        // Adam's first steps are ~lr·sign(g): a tolerance of 1e-4 is 0.2 % of a step.
        expect({ name, diff: maxAbsDiff(w.read(), after.get(name)!.read()) < 1e-4 }).toEqual({ name, diff: true });
        moved = Math.max(moved, maxAbsDiff(w.read(), initial.get(name)!));
      }
      expect(moved).toBeGreaterThan(1e-3); // the steps did change the weights
      optA.dispose();
      optB.dispose();
    }
  });

  it('keeps the head’s dropout in the top, where it runs in training mode, even with no backbone block trained', async () => {
    const ft = buildFineTune({ backbone: backbone(), featureLayer: 'out_relu', trainableTop: { blocks: 0 }, ...head, dropout: 0.5 });
    const split = await mustSplit(ft);
    expect(split.cutLayer).toBe('out_relu');
    expect(split.top.layers.map((l) => l.name)).toContain('head_dropout_features');
    const features = split.trunk.predict(tf.randomUniform([4, 16, 16, 3], 0, 1, 'float32', 5)) as tf.Tensor;
    expect(maxAbsDiff(split.top.apply(features, { training: true }) as tf.Tensor, split.top.predict(features) as tf.Tensor)).toBeGreaterThan(1e-3);
  });

  it('keeps a frozen backbone layer that behaves differently in training (dropout) in the top', async () => {
    const input = tf.input({ shape: [8, 8, 3] });
    let x = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'block_1_conv' }).apply(input) as tf.SymbolicTensor;
    x = tf.layers.dropout({ rate: 0.5, name: 'block_1_drop' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'block_2_conv' }).apply(x) as tf.SymbolicTensor;
    const withDropout = tf.model({ inputs: input, outputs: x });
    const split = await mustSplit(buildFineTune({ backbone: withDropout, featureLayer: 'block_2_conv', trainableTop: { blocks: 1 }, ...head }));
    // Not block_1_drop: the whole model drops out there when training, so the top must too.
    expect(split.cutLayer).toBe('block_1_conv');
    expect(split.top.layers.map((l) => l.name)).toContain('block_1_drop');
  });

  it('does not split when training starts at the input, or when two tensors cross the cut (the whole model trains)', async () => {
    const all = await splitFineTune(buildFineTune({ backbone: backbone(), featureLayer: 'out_relu', trainableTop: { blocks: 9 }, ...head }));
    expect(all.split).toBeNull();
    expect(all.reason).toMatch(/starts at the model input/);

    // A frozen branch that joins the trained one further up: two tensors cross.
    const input = tf.input({ shape: [8, 8, 3] });
    const stem = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'stem' }).apply(input) as tf.SymbolicTensor;
    const frozen = tf.layers.conv2d({ filters: 4, kernelSize: 1, name: 'frozen_branch' }).apply(input) as tf.SymbolicTensor;
    const trained = tf.layers.conv2d({ filters: 4, kernelSize: 1, name: 'trained_branch' }).apply(stem) as tf.SymbolicTensor;
    const joined = tf.layers.add({ name: 'join' }).apply([frozen, trained]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(joined) as tf.SymbolicTensor });
    const outcome = splitAtTrainable(model, (l) => l.name === 'trained_branch');
    expect(outcome.split).toBeNull();
    expect(outcome.reason).toMatch(/2 tensors cross .*outputs of (stem, frozen_branch|frozen_branch, stem)/);
    // Trained from the join up: the join reads both branches, two again. From the pool up: one.
    expect(splitAtTrainable(model, (l) => l.name === 'join').reason).toMatch(/2 tensors cross/);
    expect(splitAtTrainable(model, (l) => l.name === 'pool').split?.cutLayer).toBe('join');
  });

  it('the gradient tape no longer holds the trunk’s activations (96 px, batch 8)', async () => {
    const size = 96;
    const batch = 8;
    const ft = buildFineTune({ backbone: backbone(size), featureLayer: 'out_relu', trainableTop: { blocks: 1 }, ...head });
    const split = await mustSplit(ft);
    // What the trunk's layers output for one batch: a lower bound of what the whole model's
    // tape keeps (unfolded, it also keeps every BN's and ReLU's output).
    const trunkBytes = split.trunk.layers
      .slice(1)
      .reduce((sum, l) => sum + (l.outputShape as number[]).slice(1).reduce((a, b) => a * b, 1) * batch * 4, 0);
    const { x, y } = brightDarkTask(size, 3, batch);
    const optimizer = makeOptimizer({ kind: 'adamw', learningRate: 1e-3, weightDecay: 0.01 });

    const liveAfterForward = (model: tf.LayersModel, input: tf.Tensor): number => {
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const start = tf.memory();
      let afterForward = 0;
      const loss = optimizer.minimize(
        () => {
          const p = model.apply(input, { training: true }) as tf.Tensor;
          afterForward = tf.memory().numBytes - start.numBytes;
          return crossEntropy(p, y);
        },
        true,
        vars,
      )!;
      loss.dispose();
      return afterForward;
    };
    const warm = split.trunk.predict(x) as tf.Tensor; // optimizer slots are created on the first step
    liveAfterForward(split.top, warm);
    warm.dispose();

    const wholeLive = liveAfterForward(ft.model, x);
    const tensorsBefore = tf.memory().numTensors;
    const features = split.trunk.predict(x) as tf.Tensor;
    const splitLive = liveAfterForward(split.top, features);
    features.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore); // nothing left behind by a split step
    expect(wholeLive).toBeGreaterThan(trunkBytes); // the unsplit step does keep the trunk on the tape
    expect(splitLive).toBeLessThan(wholeLive - trunkBytes);
    optimizer.dispose();
  });

  it('disposing the model and the split frees every weight', async () => {
    const before = tf.memory().numTensors;
    const ft = buildFineTune({ backbone: backbone(), featureLayer: 'out_relu', trainableTop: { blocks: 1 }, ...head, shareBackbone: true });
    const split = await mustSplit(ft);
    ft.model.dispose();
    expect(tf.memory().numTensors).toBeGreaterThan(before); // the top still holds its layers
    split.dispose();
    // All but the backbone's own classifier (kernel and bias), which the fine-tune model cuts off.
    expect(tf.memory().numTensors).toBe(before + 2);
  });
});

// npm run bench -- backbones   (node --import tsx bench/backbones.ts [--models a,b] [--train N] [--test N] [--batch B])
// Chooses the bundled backbone by measuring each candidate on real images: a balanced
// Fashion-MNIST subset from Debian's dataset-fashion-mnist (28×28 grey, bilinear-
// upsampled to the model's input size, the grey value copied to 3 channels), on the
// WebAssembly backend:
//   - feature extraction images/s (batch B, wall time, all images);
//   - linear-probe test accuracy: multinomial logistic regression (softmax, tf.js,
//     Adam, full batch, 300 steps) on the standardised features, its L2 strength
//     picked from {1e-4, 1e-3, 1e-2} on a 20 % validation part of the training
//     subset, then refit on the whole training subset and scored once on the test subset.
// All bundled models at the defaults take ~35 min (InceptionV3 alone ~25): pass
// --models to measure some. Progress goes to stderr; the last stdout line is {"bench":"backbones", …}.
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../electron/engine/train/backend/use-backend.js';
import { loadBackbone, type Backbone } from '../electron/engine/train/backbones/backbone.js';
import { listBundledBackbones } from '../electron/engine/train/backbones/bundled.js';
import { readBalanced } from './helpers/fashion-mnist.js';

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: '' },
    train: { type: 'string', default: '2000' },
    test: { type: 'string', default: '1000' },
    batch: { type: 'string', default: '16' },
  },
});
const log = (msg: string) => process.stderr.write(`${msg}\n`);

function batchTensor(images: Uint8Array[], size: number): tf.Tensor4D {
  return tf.tidy(() => {
    const flat = new Float32Array(images.length * 784);
    images.forEach((im, i) => {
      for (let j = 0; j < 784; j++) flat[i * 784 + j] = im[j]! / 255;
    });
    const grey = tf.tensor4d(flat, [images.length, 28, 28, 1]);
    const resized = tf.image.resizeBilinear(grey, [size, size]);
    return tf.tile(resized, [1, 1, 1, 3]) as tf.Tensor4D;
  });
}

async function extractAll(bb: Backbone, images: Uint8Array[], batch: number): Promise<{ features: Float32Array; seconds: number }> {
  const features = new Float32Array(images.length * bb.featureDim);
  const t0 = performance.now();
  for (let i = 0; i < images.length; i += batch) {
    const x = batchTensor(images.slice(i, i + batch), bb.inputSize);
    const f = bb.extract(x);
    features.set(await f.data(), i * bb.featureDim);
    tf.dispose([x, f]);
    if ((i / batch) % 10 === 0) log(`  ${bb.id}: ${i + batch}/${images.length}`);
  }
  return { features, seconds: (performance.now() - t0) / 1000 };
}

function softmaxRegression(x: tf.Tensor2D, y: tf.Tensor1D, l2: number): tf.LayersModel {
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [x.shape[1]], units: 10, activation: 'softmax', kernelRegularizer: tf.regularizers.l2({ l2 }) })],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

async function fitAndScore(trainX: tf.Tensor2D, trainY: tf.Tensor1D, testX: tf.Tensor2D, testY: tf.Tensor1D, l2: number): Promise<number> {
  const model = softmaxRegression(trainX, trainY, l2);
  await model.fit(trainX, trainY, { epochs: 300, batchSize: trainX.shape[0], verbose: 0, shuffle: false });
  const pred = tf.tidy(() => (model.predict(testX) as tf.Tensor2D).argMax(1));
  const acc = tf.tidy(() => pred.equal(testY.toInt()).mean().dataSync()[0]!);
  pred.dispose();
  model.dispose();
  return acc;
}

async function linearProbe(trainF: Float32Array, trainL: number[], testF: Float32Array, testL: number[], dim: number) {
  const [trX, teX] = tf.tidy(() => {
    const a = tf.tensor2d(trainF, [trainL.length, dim]);
    const b = tf.tensor2d(testF, [testL.length, dim]);
    const { mean, variance } = tf.moments(a, 0);
    const std = tf.sqrt(variance).add(1e-6);
    return [a.sub(mean).div(std) as tf.Tensor2D, b.sub(mean).div(std) as tf.Tensor2D];
  });
  const trY = tf.tensor1d(trainL, 'float32');
  const teY = tf.tensor1d(testL, 'float32');
  // Validation part: every 5th training image (the subset is in file order, classes interleaved).
  const idxVal = trainL.map((_, i) => i).filter((i) => i % 5 === 0);
  const idxFit = trainL.map((_, i) => i).filter((i) => i % 5 !== 0);
  const fitX = tf.gather(trX, idxFit) as tf.Tensor2D;
  const fitY = tf.gather(trY, idxFit) as tf.Tensor1D;
  const valX = tf.gather(trX, idxVal) as tf.Tensor2D;
  const valY = tf.gather(trY, idxVal) as tf.Tensor1D;
  let best = { l2: 0, val: -1 };
  for (const l2 of [1e-4, 1e-3, 1e-2]) {
    const val = await fitAndScore(fitX, fitY, valX, valY, l2);
    log(`  probe l2=${l2}: validation ${(val * 100).toFixed(1)}%`);
    if (val > best.val) best = { l2, val };
  }
  const test = await fitAndScore(trX, trY, teX, teY, best.l2);
  tf.dispose([trX, teX, trY, teY, fitX, fitY, valX, valY]);
  return { l2: best.l2, validation: best.val, test };
}

async function main() {
  await useBackend('wasm');
  const batch = Number(values.batch);
  const trainN = Number(values.train);
  const testN = Number(values.test);
  const train = readBalanced('train', Math.round(trainN / 10));
  const test = readBalanced('t10k', Math.round(testN / 10));
  const wanted = values.models ? values.models.split(',') : null;
  const entries = listBundledBackbones().filter((e) => !wanted || wanted.includes(e.descriptor.id));
  if (entries.length === 0) throw new Error('no bundled backbones found: run `node scripts/copy-models.mjs`');
  const results = [];
  for (const entry of entries) {
    const d = entry.descriptor;
    log(`${d.id}: loading`);
    const t0 = performance.now();
    const bb = await loadBackbone(entry);
    const loadSeconds = (performance.now() - t0) / 1000;
    // Warm-up: the first call compiles XNNPACK operators.
    tf.tidy(() => bb.extract(tf.zeros([1, bb.inputSize, bb.inputSize, 3])));
    const tr = await extractAll(bb, train.images, batch);
    const te = await extractAll(bb, test.images, batch);
    const imagesPerSecond = (train.images.length + test.images.length) / (tr.seconds + te.seconds);
    log(`${d.id}: ${imagesPerSecond.toFixed(1)} images/s`);
    const probe = await linearProbe(tr.features, train.labels, te.features, test.labels, bb.featureDim);
    const bytes = Object.values(d.files ?? {}).reduce((a, b) => a + b, 0);
    const r = {
      id: d.id,
      format: d.format,
      input_size: d.inputSize,
      feature_dim: d.featureDim,
      megabytes: Math.round(bytes / 1e5) / 10,
      load_s: Math.round(loadSeconds * 10) / 10,
      images_per_s: Math.round(imagesPerSecond * 10) / 10,
      probe_l2: probe.l2,
      probe_val_acc: Math.round(probe.validation * 1000) / 1000,
      probe_test_acc: Math.round(probe.test * 1000) / 1000,
    };
    log(JSON.stringify(r));
    results.push(r);
    bb.dispose();
  }
  console.log(
    JSON.stringify({
      bench: 'backbones',
      backend: tf.getBackend(),
      dataset: 'fashion-mnist',
      train: train.labels.length,
      test: test.labels.length,
      batch,
      probe: 'softmax regression, Adam 0.01, 300 full-batch steps, standardised features, L2 from {1e-4,1e-3,1e-2} on a 20% validation split',
      results,
    }),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

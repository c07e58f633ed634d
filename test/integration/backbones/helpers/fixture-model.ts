// Small TF.js model folders made by the test itself: a real layers model (random
// weights, seeded) saved the way the TF.js converter lays a folder out — model.json
// plus weight shards — so loading, importing and downloading run on genuine files.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** conv → pool → conv("last_conv") → global average pooling ("gap", 16 values) → dense head. */
export function fixtureCnn(size = 32, channels = 3): tf.LayersModel {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  return tf.sequential({
    name: 'fixture_cnn',
    layers: [
      tf.layers.conv2d({ inputShape: [size, size, channels], filters: 8, kernelSize: 3, activation: 'relu', kernelInitializer: init(1), name: 'conv_a' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool_a' }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: init(2), name: 'last_conv' }),
      tf.layers.globalAveragePooling2d({ name: 'gap' }),
      tf.layers.dropout({ rate: 0.2, name: 'drop' }),
      tf.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: init(3), name: 'head' }),
    ],
  });
}

/** Saves `model` into `dir` as model.json + `shards` weight files of near-equal size. */
export async function saveLayersFolder(model: tf.LayersModel, dir: string, shards = 1): Promise<string[]> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!artifacts?.weightData || !artifacts.weightSpecs) throw new Error('model.save gave no weights');
  const data = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
  const per = Math.ceil(data.length / shards);
  const names: string[] = [];
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < shards; i++) {
    const name = `group1-shard${i + 1}of${shards}.bin`;
    fs.writeFileSync(path.join(dir, name), data.subarray(i * per, Math.min(data.length, (i + 1) * per)));
    names.push(name);
  }
  const modelJson = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: names, weights: artifacts.weightSpecs }],
  };
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(modelJson));
  return names;
}

/** Images whose class is the stripe direction: rows (0) or columns (1), random period, phase and brightness. */
export function stripeImages(n: number, size: number, seed: number): { x: tf.Tensor4D; labels: number[] } {
  let s = seed >>> 0;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const labels: number[] = [];
  const data = new Float32Array(n * size * size * 3);
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    labels.push(label);
    const period = 6 + Math.floor(rand() * 10);
    const phase = rand() * period;
    const level = 0.6 + 0.4 * rand();
    const colour = [level, level * 0.9, level * 0.8];
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const t = label === 0 ? y : x;
        const on = Math.floor((t + phase) / (period / 2)) % 2 === 0 ? 1 : 0.15;
        for (let c = 0; c < 3; c++) data[((i * size + y) * size + x) * 3 + c] = on * colour[c]! * 0.8 + 0.1;
      }
    }
  }
  return { x: tf.tensor4d(data, [n, size, size, 3]), labels };
}

// Importing TF.js model folders as backbones: a layers model made by the test, the
// graph model shipped in nsfwjs, and the broken folders a person may point at. Every
// failure names the file or the field, and leaves no folder behind.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../electron/engine/train/backend/use-backend.js';
import { loadBackbone } from '../../../electron/engine/train/backbones/backbone.js';
import { bundledBackbone } from '../../../electron/engine/train/backbones/bundled.js';
import { importModelFolder, inspectModelFolder } from '../../../electron/engine/train/backbones/import-model-folder.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { fixtureCnn, saveLayersFolder, stripeImages } from './helpers/fixture-model.js';

const tempDir = tempDirFactory('holdout-import-');

beforeAll(async () => {
  await useBackend('wasm');
});

/** A fresh copy of the fixture CNN saved in two shards; returns the folder and the live model. */
async function layersFolder(): Promise<{ dir: string; model: tf.LayersModel }> {
  const dir = path.join(tempDir(), 'cnn');
  const model = fixtureCnn();
  await saveLayersFolder(model, dir, 2);
  return { dir, model };
}

function leftovers(parent: string): string[] {
  return fs.readdirSync(parent).filter((n) => n.startsWith('.'));
}

describe('importing a layers model folder', () => {
  it('lists feature layers, suggests the pooled one, and reproduces the original model', async () => {
    const { dir, model } = await layersFolder();
    const info = await inspectModelFolder(dir);
    expect(info).toMatchObject({ format: 'layers', inputSize: 32, channels: 3, suggested: 'gap' });
    expect(info.candidates.map((c) => c.name)).toEqual(['conv_a', 'pool_a', 'last_conv', 'gap', 'drop', 'head']);

    const dest = path.join(tempDir(), 'backbones', 'my-cnn');
    const entry = await importModelFolder(dir, dest, { name: 'My CNN' });
    expect(entry.descriptor).toMatchObject({ id: 'my-cnn', name: 'My CNN', format: 'layers', inputSize: 32, channels: 3, featureLayer: 'gap', featureDim: 16 });
    expect(fs.readdirSync(dest).sort()).toEqual(['backbone.json', 'group1-shard1of2.bin', 'group1-shard2of2.bin', 'model.json']);
    expect(leftovers(path.dirname(dest))).toEqual([]);

    const bb = await loadBackbone(dest);
    const { x } = stripeImages(3, 32, 11);
    const got = bb.extract(x);
    const expected = tf.tidy(() => tf.model({ inputs: model.inputs, outputs: model.getLayer('gap').output }).predict(x) as tf.Tensor);
    expect(got.shape).toEqual([3, 16]);
    const g = await got.data();
    const e = await expected.data();
    g.forEach((v, i) => expect(v).toBeCloseTo(e[i]!, 5));
    tf.dispose([x, got, expected]);
    bb.dispose();
    model.dispose();
  });

  it('applies the chosen preprocessing and pools a 4-D feature layer', async () => {
    const { dir, model } = await layersFolder();
    const dest = path.join(tempDir(), 'signed');
    const entry = await importModelFolder(dir, dest, { featureLayer: 'last_conv', preprocessing: { scale: 2 / 255, offset: -1 } });
    expect(entry.descriptor).toMatchObject({ featureLayer: 'last_conv', featureDim: 16 });
    const bb = await loadBackbone(dest);
    const { x } = stripeImages(2, 32, 5);
    const got = bb.extract(x);
    // The model must see 2x − 1 for inputs x in 0..1, and last_conv's map averaged over space.
    const expected = tf.tidy(() => {
      const map = tf.model({ inputs: model.inputs, outputs: model.getLayer('last_conv').output }).predict(x.mul(2).sub(1)) as tf.Tensor4D;
      return map.mean([1, 2]);
    });
    const g = await got.data();
    const e = await expected.data();
    g.forEach((v, i) => expect(v).toBeCloseTo(e[i]!, 4));
    tf.dispose([x, got, expected]);
    bb.dispose();
    model.dispose();
  });

  it('asks for inputSize when the model takes any size', async () => {
    const dir = path.join(tempDir(), 'anysize');
    const m = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [null, null, 3], filters: 4, kernelSize: 3, name: 'c' }),
        tf.layers.globalAveragePooling2d({ name: 'pool' }),
        tf.layers.dense({ units: 2, name: 'out' }),
      ],
    });
    await saveLayersFolder(m, dir);
    await expect(importModelFolder(dir, path.join(tempDir(), 'a'))).rejects.toMatchObject({ field: 'inputSize', message: expect.stringMatching(/accepts any image size: give inputSize/) });
    const entry = await importModelFolder(dir, path.join(tempDir(), 'b'), { inputSize: 48 });
    expect(entry.descriptor).toMatchObject({ inputSize: 48, featureLayer: 'pool', featureDim: 4 });
    m.dispose();
  });
});

describe('importing a graph model folder', () => {
  it('imports the graph model shipped in nsfwjs and suggests its feature-vector node', async () => {
    // Making a graph model needs TensorFlow's Python converter; nsfwjs ships one.
    const src = path.join(tempDir(), 'graph');
    fs.mkdirSync(src);
    const bundled = bundledBackbone('nsfwjs-mobilenet-v2-mid').dir;
    for (const f of fs.readdirSync(bundled).filter((n) => n === 'model.json' || n.endsWith('.bin'))) fs.copyFileSync(path.join(bundled, f), path.join(src, f));
    const info = await inspectModelFolder(src);
    expect(info).toMatchObject({ format: 'graph', inputSize: 224, channels: 3 });
    expect(info.suggested).toMatch(/feature_vector\/SpatialSqueeze$/);
    expect(info.candidates[0]!.name).toBe('Identity');
    const dest = path.join(tempDir(), 'imported-graph');
    const entry = await importModelFolder(src, dest);
    expect(entry.descriptor).toMatchObject({ format: 'graph', featureDim: 1792, inputSize: 224 });
  });
});

describe('broken model folders', () => {
  it('a missing shard, a truncated shard, bad JSON and a missing model.json are each named', async () => {
    const cases: [string, (dir: string) => void, RegExp][] = [
      ['missing shard', (d) => fs.rmSync(path.join(d, 'group1-shard2of2.bin')), /weight file .*group1-shard2of2\.bin is missing/],
      [
        'truncated first shard',
        (d) => {
          const f = path.join(d, 'group1-shard1of2.bin');
          fs.truncateSync(f, fs.statSync(f).size - 10);
        },
        /weight file .*group1-shard1of2\.bin looks truncated/,
      ],
      [
        'truncated last shard',
        (d) => {
          const f = path.join(d, 'group1-shard2of2.bin');
          fs.truncateSync(f, fs.statSync(f).size - 4);
        },
        /weight file .*group1-shard2of2\.bin looks truncated/,
      ],
      ['invalid JSON', (d) => fs.writeFileSync(path.join(d, 'model.json'), '{"modelTopology": {'), /model\.json is not valid JSON/],
      ['no model.json', (d) => fs.rmSync(path.join(d, 'model.json')), /is not a TensorFlow\.js model folder: it has no model\.json/],
      ['not a model', (d) => fs.writeFileSync(path.join(d, 'model.json'), '{"hello": "world"}'), /model\.json is not a TensorFlow\.js model: it has no "modelTopology"/],
    ];
    const { dir: pristine, model } = await layersFolder();
    model.dispose();
    for (const [what, breakIt, message] of cases) {
      const dir = path.join(tempDir(), what.replace(/ /g, '-'));
      fs.cpSync(pristine, dir, { recursive: true });
      breakIt(dir);
      const parent = tempDir();
      const dest = path.join(parent, 'out');
      await expect(importModelFolder(dir, dest), what).rejects.toThrow(message);
      expect(fs.existsSync(dest), what).toBe(false);
      expect(leftovers(parent), what).toEqual([]);
    }
  });

  it('a feature layer that does not exist is named, with layers to choose from', async () => {
    const { dir, model } = await layersFolder();
    model.dispose();
    const dest = path.join(tempDir(), 'out');
    await expect(importModelFolder(dir, dest, { featureLayer: 'nope' })).rejects.toMatchObject({
      field: 'featureLayer',
      message: expect.stringMatching(/feature layer "nope" is not a layer of .*model\.json .*gap/),
    });
    expect(fs.existsSync(dest)).toBe(false);
  });

  it('a backbone.json that does not match its model, or is malformed, is named', async () => {
    const { dir, model } = await layersFolder();
    model.dispose();
    const dest = path.join(tempDir(), 'bb');
    await importModelFolder(dir, dest);
    const file = path.join(dest, 'backbone.json');
    const good = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...good, featureDim: 99 }));
    await expect(loadBackbone(dest)).rejects.toThrow(/backbone\.json: featureDim is 99 but layer "gap" gives 16 values/);
    fs.writeFileSync(file, JSON.stringify({ ...good, format: 'graph' }));
    await expect(loadBackbone(dest)).rejects.toThrow(/backbone\.json says "graph" but model\.json is a layers model/);
    fs.writeFileSync(file, JSON.stringify({ ...good, inputSize: 'big' }));
    await expect(loadBackbone(dest)).rejects.toMatchObject({ field: 'inputSize', message: expect.stringMatching(/backbone\.json: field "inputSize"/) });
  });

  it('never overwrites an existing backbone folder', async () => {
    const { dir, model } = await layersFolder();
    model.dispose();
    const dest = path.join(tempDir(), 'taken');
    fs.mkdirSync(dest);
    fs.writeFileSync(path.join(dest, 'keep.txt'), 'mine');
    await expect(importModelFolder(dir, dest)).rejects.toMatchObject({ code: 'conflict' });
    expect(fs.readdirSync(dest)).toEqual(['keep.txt']);
  });
});

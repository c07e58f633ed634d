// The backbones copied from nsfwjs at install time: present, loadable without
// tfjs-node, giving finite, deterministic, informative features, and freeing their
// memory. The postinstall script always creates resources/models, so its absence is a
// failure here, not a skip.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../electron/engine/train/backend/use-backend.js';
import { loadBackbone } from '../../../electron/engine/train/backbones/backbone.js';
import { bundledBackbone, bundledModelsDir, defaultBackboneId, listBundledBackbones } from '../../../electron/engine/train/backbones/bundled.js';
import { findBackbone, resolveBackbone } from '../../../electron/engine/train/backbones/resolve-backbone.js';
import { stripeImages } from './helpers/fixture-model.js';

const root = path.resolve(import.meta.dirname, '../../..');

/** Nearest-centroid accuracy of features on held-out images: do the features carry the class? */
function nearestCentroidAccuracy(train: number[][], trainY: number[], test: number[][], testY: number[]): number {
  const dim = train[0]!.length;
  const centroids = [0, 1].map((k) => {
    const rows = train.filter((_, i) => trainY[i] === k);
    return Array.from({ length: dim }, (_, j) => rows.reduce((a, r) => a + r[j]!, 0) / rows.length);
  });
  const dist = (a: number[], b: number[]) => a.reduce((s, v, j) => s + (v - b[j]!) ** 2, 0);
  const right = test.filter((row, i) => (dist(row, centroids[0]!) < dist(row, centroids[1]!) ? 0 : 1) === testY[i]).length;
  return right / test.length;
}

beforeAll(async () => {
  await useBackend('wasm');
});

describe('bundled backbones', () => {
  it('the install copied the nsfwjs models, each with its provenance', () => {
    const ids = listBundledBackbones().map((b) => b.descriptor.id);
    expect(ids).toContain(defaultBackboneId);
    expect(ids).toEqual(expect.arrayContaining(['nsfwjs-mobilenet-v2', 'nsfwjs-mobilenet-v2-mid', 'nsfwjs-inception-v3']));
    for (const b of listBundledBackbones()) {
      expect(b.descriptor.source?.package).toBe('nsfwjs');
      expect(b.descriptor.licence).toBe('MIT');
      expect(fs.existsSync(path.join(b.dir, 'LICENSE'))).toBe(true);
      for (const [file, size] of Object.entries(b.descriptor.files ?? {})) expect(fs.statSync(path.join(b.dir, file)).size).toBe(size);
    }
  });

  it('copy-models is idempotent: a second run rewrites nothing', () => {
    const run = () => spawnSync(process.execPath, [path.join(root, 'scripts', 'copy-models.mjs')], { cwd: root, encoding: 'utf8' });
    run();
    const before = fs.statSync(path.join(bundledModelsDir(), defaultBackboneId, 'model.json')).mtimeMs;
    const again = run();
    expect(again.status).toBe(0);
    expect(again.stdout.match(/up to date/g)?.length).toBe(listBundledBackbones().length);
    expect(fs.statSync(path.join(bundledModelsDir(), defaultBackboneId, 'model.json')).mtimeMs).toBe(before);
  });

  it('copy-models fails with a clear message when nsfwjs is not installed', () => {
    // A copy of the script outside the repository has no node_modules above it.
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'holdout-copy-models-')), 'scripts');
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(root, 'scripts', 'copy-models.mjs'), path.join(dir, 'copy-models.mjs'));
    const r = spawnSync(process.execPath, [path.join(dir, 'copy-models.mjs')], { encoding: 'utf8' });
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/copy-models: the npm package "nsfwjs" is not installed.*Run `npm install`/);
  });

  it('HOLDOUT_RESOURCES_DIR points a packaged app at its own resources', () => {
    const saved = process.env['HOLDOUT_RESOURCES_DIR'];
    try {
      process.env['HOLDOUT_RESOURCES_DIR'] = path.join(root, 'no-such-resources');
      expect(listBundledBackbones()).toEqual([]);
      expect(() => bundledBackbone()).toThrow(/no bundled backbones in .*no-such-resources.*copy-models/);
    } finally {
      if (saved === undefined) delete process.env['HOLDOUT_RESOURCES_DIR'];
      else process.env['HOLDOUT_RESOURCES_DIR'] = saved;
    }
    expect(() => findBackbone(null, 'resnet-9000')).toThrow(/no bundled backbone "resnet-9000"; there are: .*nsfwjs-mobilenet-v2/);
  });

  it('MobileNetV2 (layers) gives finite, repeatable 1280-d features that separate two kinds of image', async () => {
    const before = tf.memory().numTensors;
    const bb = await loadBackbone(bundledBackbone('nsfwjs-mobilenet-v2'));
    expect(bb).toMatchObject({ id: 'nsfwjs-mobilenet-v2', format: 'layers', inputSize: 224, channels: 3, featureDim: 1280, featureLayer: 'flatten_1' });
    expect(bb.layersModel?.outputs[0]?.shape).toEqual([null, 1280]);
    const { x, labels } = stripeImages(8, 224, 7);
    const f = bb.extract(x);
    expect(f.shape).toEqual([8, 1280]);
    const a = (await f.array()) as number[][];
    expect(a.flat().every(Number.isFinite)).toBe(true);
    // Different images give different features (not a constant).
    expect(a[0]).not.toEqual(a[1]);
    const acc = nearestCentroidAccuracy(a.slice(0, 4), labels.slice(0, 4), a.slice(4), labels.slice(4));
    expect(acc).toBe(1);
    // The same input gives the same output.
    const two = x.slice(0, 2);
    const r1 = bb.extract(two);
    const r2 = bb.extract(two);
    expect(Array.from(await r2.data())).toEqual(Array.from(await r1.data()));
    tf.dispose([two, r1, r2, f]);
    expect(() => tf.tidy(() => bb.extract(tf.zeros([1, 100, 100, 3])))).toThrow(/takes images of shape \[N, 224, 224, 3\], got \[1, 100, 100, 3\]/);
    x.dispose();
    bb.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the default, the graph-format MobileNetV2 ×1.4, reads its 1792-d feature node', async () => {
    const before = tf.memory().numTensors;
    expect(defaultBackboneId).toBe('nsfwjs-mobilenet-v2-mid');
    const bb = await resolveBackbone(null);
    expect(bb.id).toBe(defaultBackboneId);
    expect(bb.format).toBe('graph');
    expect(bb.layersModel).toBeUndefined();
    const { x } = stripeImages(2, 224, 3);
    const f = bb.extract(x);
    expect(f.shape).toEqual([2, 1792]);
    const v = await f.data();
    expect(v.every(Number.isFinite)).toBe(true);
    const again = bb.extract(x);
    expect(Array.from(await again.data())).toEqual(Array.from(v));
    tf.dispose([x, f, again]);
    bb.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a wrong feature layer is named in the error', async () => {
    await expect(loadBackbone(bundledBackbone('nsfwjs-mobilenet-v2'), { featureLayer: 'no_such_layer' })).rejects.toThrow(
      /feature layer "no_such_layer" is not in .*model\.json; its last layers are: .*flatten_1/,
    );
    await expect(loadBackbone(bundledBackbone('nsfwjs-mobilenet-v2-mid'), { featureLayer: 'nope' })).rejects.toThrow(
      /feature node "nope" is not in the graph of .*model\.json/,
    );
  });

  it('fine-tuning defaults to the layers MobileNetV2 and refuses a graph model', async () => {
    const bb = await resolveBackbone(null, undefined, 'fine-tune');
    expect(bb.id).toBe('nsfwjs-mobilenet-v2');
    expect(bb.layersModel).toBeDefined();
    bb.dispose();
    await expect(resolveBackbone(null, 'nsfwjs-mobilenet-v2-mid', 'fine-tune')).rejects.toThrow(/is a graph model: .*cannot be fine-tuned/);
  });

  it('another layer can be chosen; its width is read from the model', async () => {
    const bb = await loadBackbone(bundledBackbone('nsfwjs-mobilenet-v2'), { featureLayer: 'out_relu' });
    // out_relu is the 7×7×1280 map: average-pooled to 1280 values.
    expect(bb.featureDim).toBe(1280);
    expect(tf.tidy(() => bb.extract(tf.zeros([1, 224, 224, 3]))).shape).toEqual([1, 1280]);
    bb.dispose();
  });
});

// FeatureExtractPool on real worker threads, each with its own wasm instance and the
// bundled MobileNetV2 layers backbone (folded): the same features as the in-thread path
// (augmented views included), buffers moved not copied, no tensor left behind, errors
// that name the file, and no process kept alive by a pool nobody closed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../../electron/api/errors.js';
import { useBackend } from '../../../../electron/engine/train/backend/use-backend.js';
import { loadBackbone } from '../../../../electron/engine/train/backbones/backbone.js';
import { bundledBackbone } from '../../../../electron/engine/train/backbones/bundled.js';
import { decodeImage, ImageDecodeError } from '../../../../electron/engine/train/data/decode-image.js';
import { defaultAugmentation } from '../../../../electron/engine/train/augment/augment-params.js';
import { extractBatch, type BatchImage } from '../../../../electron/engine/train/features/extract-batch.js';
import {
  ExtractPoolClosedError,
  FeatureExtractError,
  FeatureExtractPool,
  type ExtractImage,
} from '../../../../electron/engine/train/features/extract-pool.js';
import { tempDir, writePicture } from '../../../fixtures/images/make-images.js';

const entry = bundledBackbone('nsfwjs-mobilenet-v2');
const DIM = 1280;
const decode = { size: 224, channels: 3 as const, resize: 'fill' as const };

describe('FeatureExtractPool', () => {
  let pool: FeatureExtractPool;
  let dir: string;
  let files: string[];
  let pixels: Uint8Array[];

  beforeAll(async () => {
    dir = tempDir('holdout-extract-pool-');
    files = await Promise.all(
      [1, 2, 3, 4, 5, 6].map(async (seed) => {
        const file = path.join(dir, `pic-${seed}.jpg`);
        await writePicture(file, 'jpeg', { width: 160, height: 120, seed });
        return file;
      }),
    );
    pixels = await Promise.all(files.map((f) => decodeImage(f, f, decode)));
    pool = await FeatureExtractPool.start({ backbone: entry, workers: 2 });
  });
  afterAll(async () => {
    await pool?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const images = (from: number, to: number, augmented: boolean): (ExtractImage & BatchImage)[] =>
    files.slice(from, to).map((name, k) => ({
      name,
      pixels: pixels[from + k]!.slice(),
      augment: augmented && k % 2 === 0 ? { params: defaultAugmentation, seed: 100 + from + k } : null,
    }));

  it('gives the in-thread features, batch by batch in order, on two workers at once', async () => {
    expect(pool.size).toBe(2);
    expect(pool.featureDim).toBe(DIM);
    expect(pool.foldedBatchNorms).toBe(52);
    const [a, b, c] = await Promise.all([pool.extract(images(0, 2, true)), pool.extract(images(2, 5, true)), pool.extract(images(5, 6, false))]);
    expect([a!.length, b!.length, c!.length]).toEqual([2 * DIM, 3 * DIM, DIM]);

    await useBackend('wasm');
    const backbone = await loadBackbone(entry);
    try {
      const expected = await extractBatch((x) => backbone.extract(x), images(0, 6, true).map((i, k) => (k === 5 ? { ...i, augment: null } : i)), 224, 3);
      const got = new Float32Array([...a!, ...b!, ...c!]);
      let worst = 0;
      for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - expected[i]!));
      expect(worst).toBeLessThan(1e-4);
      // Augmentation took effect: image 0's augmented view is not its plain features.
      const plain = await extractBatch((x) => backbone.extract(x), images(0, 1, false), 224, 3);
      expect(Math.max(...plain.map((v, i) => Math.abs(v - a![i]!)))).toBeGreaterThan(1e-2);
    } finally {
      backbone.dispose();
    }
  });

  it('moves pixel buffers to the workers and frees every tensor it makes', async () => {
    const batch = images(0, 3, true);
    await pool.extract(batch);
    expect(batch[0]!.pixels!.length).toBe(0); // detached: transferred, not copied
    const before = await pool.memory();
    for (let i = 0; i < 3; i++) await Promise.all([pool.extract(images(0, 3, true)), pool.extract(images(3, 6, true))]);
    expect(await pool.memory()).toEqual(before);
    // The folded backbone's weights are all that lives there: kernel and bias of 52 convolutions.
    expect(before.map((m) => m.numTensors)).toEqual([104, 104]);
  });

  it('decodes files in the worker when given files, naming a file it cannot read', async () => {
    const fromFiles = await pool.extract(files.slice(0, 2).map((file) => ({ name: file, file, augment: null })));
    const fromPixels = await pool.extract(images(0, 2, false));
    expect(Math.max(...fromFiles.map((v, i) => Math.abs(v - fromPixels[i]!)))).toBe(0);

    const bad = path.join(dir, 'not-an-image.jpg');
    fs.writeFileSync(bad, 'plain text, not a JPEG');
    const err = await pool.extract([{ name: bad, file: bad, augment: null }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageDecodeError);
    expect((err as ImageDecodeError).file).toBe(bad);
    expect((err as Error).message).toContain(bad);
    // The worker is still serving.
    expect((await pool.extract(images(0, 1, false))).length).toBe(DIM);
  });

  it('rejects pixels of the wrong size, naming the image', async () => {
    const err = await pool.extract([{ name: 'tiny.png', pixels: new Uint8Array(28 * 28), augment: null }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeatureExtractError);
    expect((err as Error).message).toMatch(/^tiny\.png: expected 224×224×3 = 150528 pixel values, got 784/);
  });

  it('passes an ApiError from a worker back as an ApiError naming its field', async () => {
    const params = { ...defaultAugmentation, rotation: 400 };
    const err = await pool.extract([{ name: files[0]!, pixels: pixels[0]!.slice(), augment: { params, seed: 1 } }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).field).toBe('rotation');
    expect((err as Error).message).toMatch(/rotation.*<=45/);
  });

  it('fails to start with the backbone loader’s own error, and leaves no worker running', async () => {
    const err = await FeatureExtractPool.start({ backbone: entry, featureLayer: 'no_such_layer', workers: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).field).toBe('featureLayer');
    expect((err as Error).message).toContain('no_such_layer');
    await expect(FeatureExtractPool.start({ backbone: entry, workers: 0 })).rejects.toThrow(/workers must be a whole number from 1 to 8/);
  });

  it('rejects work in flight and after close with ExtractPoolClosedError; closing twice is fine', async () => {
    const own = await FeatureExtractPool.start({ backbone: entry, workers: 1 });
    // Caught at once: an unhandled rejection ends a process that loaded the wasm backend.
    const inFlight = own.extract(images(0, 4, false)).catch((e: unknown) => e);
    const queued = own.extract(images(0, 1, false)).catch((e: unknown) => e);
    await Promise.all([own.close(), own.close()]);
    expect(await inFlight).toBeInstanceOf(ExtractPoolClosedError);
    expect(await queued).toBeInstanceOf(ExtractPoolClosedError);
    await expect(own.extract(images(0, 1, false))).rejects.toBeInstanceOf(ExtractPoolClosedError);
  });

  it('never keeps a process alive: a script that forgets close() still exits', () => {
    // .mts: the temporary folder has no package.json saying "type": "module".
    const script = path.join(dir, 'forget-close.mts');
    const poolModule = path.resolve('electron/engine/train/features/extract-pool.ts');
    const bundled = path.resolve('electron/engine/train/backbones/bundled.ts');
    fs.writeFileSync(
      script,
      `import { FeatureExtractPool } from ${JSON.stringify(poolModule)};\n` +
        `import { bundledBackbone } from ${JSON.stringify(bundled)};\n` +
        `const pool = await FeatureExtractPool.start({ backbone: bundledBackbone('nsfwjs-mobilenet-v2'), workers: 1 });\n` +
        `const f = await pool.extract([{ name: 'zeros', pixels: new Uint8Array(224 * 224 * 3), augment: null }]);\n` +
        `console.log('features', f.length);\n`,
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.signal).toBeNull(); // not killed by the timeout
    expect(r.stdout).toContain(`features ${DIM}`);
    expect(r.status).toBe(0);
  });
});

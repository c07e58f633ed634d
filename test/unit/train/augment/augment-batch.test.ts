// augmentBatch on real tensors, on both portable backends: a flip flips, rotation and
// zoom turn about the centre, greyscale gives equal channels, brightness shifts and
// saturation/hue keep the luminance, values stay in 0…1, seeds reproduce, nothing leaks.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../../electron/api/errors.js';
import { augmentBatch } from '../../../../electron/engine/train/augment/augment-batch.js';
import {
  type AugmentParams,
  defaultAugmentation,
  noAugmentation,
} from '../../../../electron/engine/train/augment/augment-params.js';
import { useBackend } from '../../../../electron/engine/train/backend/use-backend.js';

/** A batch of distinct, non-symmetric pictures with values in lo…hi. */
function pictures(n: number, h: number, w: number, c: number, lo = 0, hi = 1): tf.Tensor4D {
  const values = new Float32Array(n * h * w * c);
  let i = 0;
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let k = 0; k < c; k++) {
          const t = 0.5 + 0.5 * Math.sin(0.7 * x + 1.3 * y * (k + 1) + 2.1 * b + 0.4 * x * y);
          values[i++] = lo + (hi - lo) * t;
        }
  return tf.tensor4d(values, [n, h, w, c]);
}

const only = (p: Partial<AugmentParams>): AugmentParams => ({ ...noAugmentation, ...p });
const LUMA = [0.299, 0.587, 0.114];

function run(x: tf.Tensor4D, p: AugmentParams, seed: number): Float32Array {
  const y = augmentBatch(x, p, seed);
  const out = y.dataSync() as Float32Array;
  expect(y.shape).toEqual(x.shape);
  y.dispose();
  return out;
}

describe.each(['cpu', 'wasm'] as const)('augmentBatch on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  it('flip mirrors some images left–right exactly and leaves the others as they were', () => {
    const x = pictures(16, 6, 9, 3);
    const mirrored = tf.reverse(x, 2);
    const y = augmentBatch(x, only({ flip: true }), 7);
    const sameAsOriginal = tf.max(tf.abs(tf.sub(y, x)), [1, 2, 3]).dataSync();
    const sameAsMirror = tf.max(tf.abs(tf.sub(y, mirrored)), [1, 2, 3]).dataSync();
    let flipped = 0;
    for (let i = 0; i < 16; i++) {
      expect(Math.min(sameAsOriginal[i]!, sameAsMirror[i]!)).toBeLessThan(1e-6);
      if (sameAsMirror[i]! < 1e-6) flipped++;
    }
    expect(flipped).toBeGreaterThan(0);
    expect(flipped).toBeLessThan(16);
    tf.dispose([x, mirrored, y]);
  });

  it('rotation and zoom turn about the image centre: the centre pixel stays, the rest moves', () => {
    const x = pictures(6, 15, 15, 3);
    const y = augmentBatch(x, only({ rotation: 45, scale: 0.5 }), 3);
    const centre = (t: tf.Tensor4D) => tf.slice(t, [0, 7, 7, 0], [6, 1, 1, 3]).dataSync();
    Array.from(centre(y)).forEach((v, i) => expect(v).toBeCloseTo(centre(x)[i]!, 5));
    const moved = tf.max(tf.abs(tf.sub(y, x)), [1, 2, 3]).dataSync();
    moved.forEach((m) => expect(m).toBeGreaterThan(0.05));
    tf.dispose([x, y]);
  });

  it('greyscale 1 gives three equal channels in every image', () => {
    const x = pictures(5, 8, 10, 3);
    const y = augmentBatch(x, only({ greyscale: 1, saturation: 0.5, hue: 0.2 }), 11);
    const [r, g, b] = tf.split(y, 3, 3).map((t) => t.dataSync());
    expect(Array.from(g!)).toEqual(Array.from(r!));
    expect(Array.from(b!)).toEqual(Array.from(r!));
    // And the grey is the luminance of the colours, not one of the channels.
    const luma = tf.sum(tf.mul(x, tf.tensor1d(LUMA)), 3).dataSync();
    r!.forEach((v, i) => expect(v).toBeCloseTo(luma[i]!, 5));
    tf.dispose([x, y]);
  });

  it('brightness adds one offset per image, within ±strength', () => {
    const x = pictures(8, 5, 7, 3, 0.35, 0.65);
    const y = augmentBatch(x, only({ brightness: 0.3 }), 5);
    const diff = tf.sub(y, x);
    const lo = tf.min(diff, [1, 2, 3]).dataSync();
    const hi = tf.max(diff, [1, 2, 3]).dataSync();
    const offsets = new Set<number>();
    for (let i = 0; i < 8; i++) {
      expect(hi[i]! - lo[i]!).toBeLessThan(1e-6);
      expect(Math.abs(lo[i]!)).toBeLessThanOrEqual(0.3 + 1e-6);
      offsets.add(Math.round(lo[i]! * 1e4));
    }
    expect(offsets.size).toBe(8);
    tf.dispose([x, y, diff]);
  });

  it('saturation and hue change the colours but keep each pixel’s luminance', () => {
    const x = pictures(6, 6, 6, 3, 0.4, 0.6);
    const y = augmentBatch(x, only({ saturation: 0.5, hue: 0.1 }), 9);
    const lumaOf = (t: tf.Tensor) => tf.sum(tf.mul(t, tf.tensor1d(LUMA)), 3).dataSync();
    const before = lumaOf(x);
    lumaOf(y).forEach((v, i) => expect(Math.abs(v - before[i]!)).toBeLessThan(1e-5));
    expect(tf.max(tf.abs(tf.sub(y, x))).dataSync()[0]).toBeGreaterThan(0.01);
    tf.dispose([x, y]);
  });

  it('keeps values within 0…1 at full strength', () => {
    const x = pictures(8, 10, 10, 3);
    const y = augmentBatch(x, { flip: true, rotation: 45, scale: 0.5, crop: 0.5, brightness: 1, saturation: 1, hue: 0.5, greyscale: 0.5 }, 1);
    expect(tf.min(y).dataSync()[0]).toBeGreaterThanOrEqual(0);
    expect(tf.max(y).dataSync()[0]).toBeLessThanOrEqual(1);
    tf.dispose([x, y]);
  });

  it('the same seed gives the same images; another seed gives other images', () => {
    const x = pictures(4, 12, 12, 3);
    const a = run(x, defaultAugmentation, 42);
    const b = run(x, defaultAugmentation, 42);
    const c = run(x, defaultAugmentation, 43);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Math.max(...a.map((v, i) => Math.abs(v - c[i]!)))).toBeGreaterThan(0.01);
    x.dispose();
  });

  it('zero strengths are the identity, in a tensor of its own', () => {
    const x = pictures(3, 7, 5, 3);
    const y = augmentBatch(x, noAugmentation, 1);
    expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
    y.dispose();
    expect(x.isDisposed).toBe(false);
    x.dispose();
  });

  it('works on 1-channel images (geometry and brightness; colour steps skipped)', () => {
    const x = pictures(4, 10, 10, 1, 0.3, 0.7);
    const y = run(x, defaultAugmentation, 2);
    expect(Math.min(...y)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...y)).toBeLessThanOrEqual(1);
    expect(Math.max(...y.map((v, i) => Math.abs(v - x.dataSync()[i]!)))).toBeGreaterThan(0.01);
    // Colour-only settings leave a greyscale image untouched.
    expect(Array.from(run(x, only({ saturation: 1, hue: 0.5, greyscale: 1 }), 2))).toEqual(Array.from(x.dataSync()));
    x.dispose();
  });

  it('leaves no tensors behind', () => {
    const colour = pictures(4, 9, 9, 3);
    const grey = pictures(4, 9, 9, 1);
    const before = tf.memory().numTensors;
    for (const [x, p] of [
      [colour, defaultAugmentation],
      [grey, defaultAugmentation],
      [colour, noAugmentation],
      [colour, only({ greyscale: 1 })],
    ] as const) {
      augmentBatch(x, p, 3).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([colour, grey]);
  });

  it('refuses bad strengths naming the field, and inputs it cannot handle', () => {
    const x = pictures(1, 4, 4, 3);
    expect(() => augmentBatch(x, { ...defaultAugmentation, rotation: 90 }, 1)).toThrow(ApiError);
    expect(() => augmentBatch(x, { ...defaultAugmentation, rotation: 90 }, 1)).toThrow(/rotation/);
    const two = tf.zeros([1, 4, 4, 2]) as tf.Tensor4D;
    expect(() => augmentBatch(two, defaultAugmentation, 1)).toThrow(/1 or 3 channels/);
    tf.dispose([x, two]);
  });
});

describe('augmentBatch across backends', () => {
  it('gives the same images on cpu (image by image, around its Transform bug) and wasm (batched)', async () => {
    const results: Float32Array[] = [];
    for (const backend of ['cpu', 'wasm'] as const) {
      await useBackend(backend);
      const x = pictures(5, 11, 13, 3);
      results.push(run(x, defaultAugmentation, 99));
      x.dispose();
    }
    const [cpu, wasm] = results;
    expect(Math.max(...cpu!.map((v, i) => Math.abs(v - wasm![i]!)))).toBeLessThan(1e-5);
  });
});

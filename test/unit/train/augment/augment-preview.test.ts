// The preview grid: the original first, then augmented versions, reproducible by seed.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultAugmentation } from '../../../../electron/engine/train/augment/augment-params.js';
import { augmentPreview } from '../../../../electron/engine/train/augment/augment-preview.js';
import { useBackend } from '../../../../electron/engine/train/backend/use-backend.js';

describe.each(['cpu', 'wasm'] as const)('augmentPreview on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  it('returns the original and count − 1 different augmented versions, the same for the same seed', () => {
    const image = tf.tidy(() => tf.randomUniform([12, 10, 3], 0, 1, 'float32', 5)) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    augmentPreview(image, defaultAugmentation, 6, 17).dispose();
    expect(tf.memory().numTensors).toBe(before);
    const grid = augmentPreview(image, defaultAugmentation, 6, 17);
    expect(grid.shape).toEqual([6, 12, 10, 3]);
    const tiles = tf.unstack(grid);
    expect(Array.from(tiles[0]!.dataSync())).toEqual(Array.from(image.dataSync()));
    const maxDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
    for (let i = 1; i < 6; i++) {
      expect(maxDiff(tiles[i]!, image)).toBeGreaterThan(0.01);
      for (let j = 1; j < i; j++) expect(maxDiff(tiles[i]!, tiles[j]!)).toBeGreaterThan(0.01);
    }
    const again = augmentPreview(image, defaultAugmentation, 6, 17);
    expect(Array.from(again.dataSync())).toEqual(Array.from(grid.dataSync()));
    tf.dispose([...tiles, grid, again]);
    expect(augmentPreview(image, defaultAugmentation, 1, 1).shape).toEqual([1, 12, 10, 3]);
    expect(() => augmentPreview(image, defaultAugmentation, 0, 1)).toThrow(/count/);
    image.dispose();
  });
});

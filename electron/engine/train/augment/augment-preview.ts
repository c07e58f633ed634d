// The grid beside the augmentation sliders: the user's own image and what training
// might make of it, so each strength can be judged on real pictures before a run.
import * as tf from '@tensorflow/tfjs';
import { augmentBatch } from './augment-batch.js';
import type { AugmentParams } from './augment-params.js';

/** `count` images [count, H, W, C]: the original first, then `count − 1` augmented versions. */
export function augmentPreview(image: tf.Tensor3D, params: AugmentParams, count: number, seed: number): tf.Tensor4D {
  if (image.rank !== 3) throw new Error(`augmentPreview: expected one HWC image, got rank ${image.rank}`);
  if (!Number.isInteger(count) || count < 1 || count > 256) {
    throw new Error(`augmentPreview: count must be an integer from 1 to 256, got ${count}`);
  }
  return tf.tidy(() => {
    const original = tf.expandDims(image, 0) as tf.Tensor4D;
    if (count === 1) return original.clone();
    const copies = tf.tile(original, [count - 1, 1, 1, 1]) as tf.Tensor4D;
    return tf.concat([original, augmentBatch(copies, params, seed)], 0);
  });
}

// One batch of images → their features under a frozen backbone, exactly as both the
// in-thread path and the pool's workers compute them: uint8 pixels / 255, each image's
// augmented view drawn from its own seed (so a cached view is the same in every run and
// on every thread), one backbone call for the batch. Every tensor is freed before it returns.
import * as tf from '@tensorflow/tfjs';
import { augmentBatch } from '../augment/augment-batch.js';
import type { ExtractAugment } from './extract-protocol.js';

export interface BatchImage {
  name: string;
  pixels: Uint8Array;
  augment: ExtractAugment | null;
}

/** x: float32 [N, size, size, channels] in 0..1 → [N, dim]. */
export type FeatureFn = (x: tf.Tensor4D) => tf.Tensor2D;

/** Throws an Error naming the image whose pixel count is wrong. */
export function checkPixels(image: { name: string; pixels: Uint8Array }, size: number, channels: number): void {
  const want = size * size * channels;
  if (image.pixels.length !== want) {
    throw new Error(`${image.name}: expected ${size}×${size}×${channels} = ${want} pixel values, got ${image.pixels.length}`);
  }
}

export async function extractBatch(run: FeatureFn, images: readonly BatchImage[], size: number, channels: number): Promise<Float32Array> {
  if (images.length === 0) return new Float32Array(0);
  for (const image of images) checkPixels(image, size, channels);
  const features = tf.tidy(() => {
    const views = images.map((image) => {
      const x = tf.div(tf.tensor4d(image.pixels, [1, size, size, channels], 'int32').toFloat(), 255) as tf.Tensor4D;
      return image.augment ? augmentBatch(x, image.augment.params, image.augment.seed) : x;
    });
    return run(views.length === 1 ? views[0]! : (tf.concat(views, 0) as tf.Tensor4D));
  });
  try {
    return (await features.data()) as Float32Array;
  } finally {
    features.dispose();
  }
}

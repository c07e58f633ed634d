// Seeded augmentation of a training batch, applied afresh every iteration so the
// network never sees the same picture twice. One projective transform per image does
// flip, rotation, zoom and crop in a single resampling pass; one 3×3 colour matrix
// plus an offset per image does saturation, hue, greyscale and brightness in a single
// batched matrix product. Input and output: float32 NHWC, values 0…1, 1 or 3 channels.
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../../curation/prng.js';
import { colourMatrix, drawImage, transformRow, type ImageDraws } from './augment-draws.js';
import { type AugmentParams, hasColour, hasGeometry, parseAugmentParams } from './augment-params.js';

/**
 * Returns a new tensor (the caller disposes it and still owns `x`). The same `seed`
 * gives the same images on every run and backend; derive a fresh seed per batch
 * (run seed, epoch, batch) to get fresh draws.
 */
export function augmentBatch(x: tf.Tensor4D, params: AugmentParams, seed: number): tf.Tensor4D {
  const p = parseAugmentParams(params);
  if (x.rank !== 4) throw new Error(`augmentBatch: expected a rank 4 NHWC batch, got rank ${x.rank}`);
  const [n, height, width, channels] = x.shape;
  if (channels !== 1 && channels !== 3) throw new Error(`augmentBatch: expected 1 or 3 channels, got ${channels}`);
  if (x.dtype !== 'float32') throw new Error(`augmentBatch: expected float32 pixels, got ${x.dtype}`);
  if (!Number.isFinite(seed)) throw new Error(`augmentBatch: seed must be a finite number, got ${seed}`);

  const rand = mulberry32(seed);
  const draws = Array.from({ length: n }, () => drawImage(rand, p, height, width));
  return tf.tidy(() => {
    let y: tf.Tensor4D = x;
    if (hasGeometry(p)) y = geometric(y, draws);
    if (hasColour(p, channels)) y = colour(y, draws);
    // Nothing to do still returns a tensor of its own, so the caller's dispose is safe.
    return y === x ? x.clone() : y;
  });
}

const FILL = 'nearest';

function geometric(x: tf.Tensor4D, draws: ImageDraws[]): tf.Tensor4D {
  const [n, height, width] = x.shape;
  const rows = draws.flatMap((d) => transformRow(d, height, width));
  const transforms = tf.tensor2d(rows, [n, 8]);
  // The corners a rotation or zoom-out uncovers repeat the nearest edge pixel rather
  // than showing black wedges the network could learn from. Not 'reflect' (Keras's
  // default): tfjs-backend-wasm 4.22 maps negative coordinates wrongly in that mode
  // (a shift of −2 on [0 1 2 3 4] gives 4 4 0 1 2 instead of 1 0 0 1 2).
  if (tf.getBackend() !== 'cpu') return tf.image.transform(x, transforms, 'bilinear', FILL);
  // tfjs-backend-cpu 4.22's Transform returns after the first image of a batch and
  // leaves the rest zero, so on that backend each image goes through alone.
  const images = tf.split(x, n, 0);
  const rowsEach = tf.split(transforms, n, 0);
  return tf.concat(images.map((img, i) => tf.image.transform(img as tf.Tensor4D, rowsEach[i]! as tf.Tensor2D, 'bilinear', FILL)), 0);
}

function colour(x: tf.Tensor4D, draws: ImageDraws[]): tf.Tensor4D {
  const [n, height, width, channels] = x.shape;
  const offsets = tf.tensor3d(draws.map((d) => d.brightness), [n, 1, 1]);
  if (channels === 1) {
    return tf.clipByValue(tf.add(x, offsets.reshape([n, 1, 1, 1])), 0, 1) as tf.Tensor4D;
  }
  // Pixels as rows [N, H·W, 3] times each image's matrix transposed [N, 3, 3].
  const matrices = tf.tensor3d(
    draws.flatMap((d) => {
      const m = colourMatrix(d);
      return [m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]];
    }),
    [n, 3, 3],
  );
  const mixed = tf.matMul(tf.reshape(x, [n, height * width, 3]), matrices);
  return tf.reshape(tf.clipByValue(tf.add(mixed, offsets), 0, 1), [n, height, width, 3]);
}

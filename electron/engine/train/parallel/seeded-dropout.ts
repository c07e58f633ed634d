// Dropout masks drawn from the run's seed instead of TF.js's global generator (which
// starts from Math.random): a seeded run then draws the same masks when repeated or
// resumed, and a data-parallel step draws them per shard from its position, so the
// result does not depend on which thread computed what, or when.
//
// The layers are built without a seed on purpose (head.ts): a fixed seed would draw the
// very same mask on every batch. Here each batch gets its own seed for the duration of
// one forward pass, and the layers get their own seeds back afterwards, so the saved
// topology (checkpoints, exports) stays as it was.
import type * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../run/seeds.js';

/** What tells dropout masks apart from the other draws of the same batch (augmentation). */
const DROPOUT_SALT = 0xd0;

/** The dropout seed of batch `batch` (0-based) of epoch `epoch`. */
export function batchDropoutSeed(runSeed: number, epoch: number, batch: number): number {
  return deriveSeed(runSeed, epoch, batch, DROPOUT_SALT);
}

/** The dropout seed of shard `shard` of a batch; shard 0 is also the seed of a step that is not cut. */
export function shardDropoutSeed(batchSeed: number, shard: number): number {
  return deriveSeed(batchSeed, shard);
}

type SeedHolder = tf.layers.Layer & { seed?: number };

function dropoutLayers(model: tf.LayersModel): SeedHolder[] {
  const out: SeedHolder[] = [];
  const visit = (layers: tf.layers.Layer[]) => {
    for (const l of layers) {
      if (l.getClassName() === 'Dropout') out.push(l as SeedHolder);
      // Nested models (a backbone inside a fine-tuned model) hold layers of their own.
      const inner = (l as unknown as { layers?: tf.layers.Layer[] }).layers;
      if (Array.isArray(inner)) visit(inner);
    }
  };
  visit(model.layers);
  return out;
}

/**
 * Runs `fn` (a forward pass in training mode) with every Dropout layer of `model` seeded
 * from `seed` and its place in the model; `seed` null leaves the layers as they are.
 */
export function withDropoutSeeds<T>(model: tf.LayersModel, seed: number | null, fn: () => T): T {
  if (seed === null) return fn();
  const layers = dropoutLayers(model);
  const before = layers.map((l) => l.seed);
  // TF.js takes a seed of 0 as "no seed" (Math.random): keep it positive, within 31 bits.
  layers.forEach((l, i) => (l.seed = (deriveSeed(seed, i) >>> 1) || 1));
  try {
    return fn();
  } finally {
    layers.forEach((l, i) => (l.seed = before[i]));
  }
}

// Features of every training and validation image under a frozen backbone: view 0 is
// the image itself, views 1…K are augmented copies (the frozen-backbone form of "fresh
// augmentation every epoch": each epoch draws one view per image). Features are cached
// on disk by content hash, backbone, size, resize mode and view, so a second run on
// the same data pays nothing, and a changed key never reads stale features.
import * as tf from '@tensorflow/tfjs';
import { augmentBatch } from '../augment/augment-batch.js';
import type { Backbone } from '../backbones/backbone.js';
import type { AugmentationConfig } from '../config.js';
import { decodeImage, type DecodeOptions } from '../data/decode-image.js';
import { mapLimit } from '../data/map-limit.js';
import type { TrainingItem } from '../data/training-set.js';
import { FeatureCache } from '../features/feature-cache.js';
import type { FeatureTable } from './feeders.js';
import { seedOfText } from './seeds.js';

const BATCH = 16;

export interface ExtractOptions {
  projectDir: string;
  backbone: Backbone;
  decode: DecodeOptions;
  augmentation: AugmentationConfig;
  /** Augmented views per image besides the original. */
  views: number;
  onProgress?(done: number, total: number, imagesPerSecond: number | null): void;
}

export async function extractFeatureTable(items: readonly TrainingItem[], views: number, opts: ExtractOptions): Promise<FeatureTable> {
  const dim = opts.backbone.featureDim;
  const tables: Float32Array[] = [];
  const total = items.length * (views + 1);
  let done = 0;
  let computed = 0;
  const started = performance.now();
  for (let v = 0; v <= views; v++) {
    const cache = new FeatureCache(opts.projectDir, {
      backboneId: opts.backbone.id,
      // The package version and file sizes: new weights under the same id never read old features.
      backboneVersion: JSON.stringify([opts.backbone.descriptor.source?.version ?? null, opts.backbone.descriptor.files ?? null]),
      featureLayer: opts.backbone.featureLayer,
      featureDim: dim,
      inputSize: opts.decode.size,
      resize: opts.decode.resize,
      channels: opts.decode.channels,
      augmentation: v === 0 ? null : opts.augmentation,
      view: v,
    });
    const table = new Float32Array(items.length * dim);
    const missing: number[] = [];
    items.forEach((item, i) => {
      const hit = cache.get(item.sha256);
      if (hit && hit.length === dim) table.set(hit, i * dim);
      else missing.push(i);
    });
    done += items.length - missing.length;
    opts.onProgress?.(done, total, null);
    for (let start = 0; start < missing.length; start += BATCH) {
      const chunk = missing.slice(start, start + BATCH);
      const pixels = await mapLimit(chunk, 8, (i) => decodeImage(items[i]!.pathBytes, items[i]!.path, opts.decode));
      const { size, channels } = opts.decode;
      const features = tf.tidy(() => {
        const images = pixels.map((px, k) => {
          const x = tf.div(tf.tensor4d(px, [1, size, size, channels], 'int32').toFloat(), 255) as tf.Tensor4D;
          // Each image's augmented view is seeded by its content and view number, so the
          // cached view is the same in every run that shares the cache key.
          return v === 0 ? x : augmentBatch(x, opts.augmentation, seedOfText(items[chunk[k]!]!.sha256, v));
        });
        return opts.backbone.extract(tf.concat(images, 0) as tf.Tensor4D);
      });
      const data = (await features.data()) as Float32Array;
      features.dispose();
      chunk.forEach((i, k) => {
        const row = data.slice(k * dim, (k + 1) * dim);
        table.set(row, i * dim);
        cache.put(items[i]!.sha256, row);
      });
      done += chunk.length;
      computed += chunk.length;
      opts.onProgress?.(done, total, computed / ((performance.now() - started) / 1000));
    }
    tables.push(table);
  }
  return { dim, views: tables, labels: items.map((i) => i.label) };
}

// Features of every training and validation image under a frozen backbone: view 0 is
// the image itself, views 1…K are augmented copies (the frozen-backbone form of "fresh
// augmentation every epoch": each epoch draws one view per image). Features are cached
// on disk by content hash, backbone, size, resize mode and view, so a second run on
// the same data pays nothing, and a changed key never reads stale features.
// With a pool (features/extract-pool.ts) every missing batch is queued at once and the
// workers decode and run them on all spare cores; without one, batches run here in turn.
import type { Backbone } from '../backbones/backbone.js';
import type { AugmentationConfig } from '../config.js';
import { decodeImage, type DecodeOptions } from '../data/decode-image.js';
import { mapLimit } from '../data/map-limit.js';
import type { TrainingItem } from '../data/training-set.js';
import { FeatureCache } from '../features/feature-cache.js';
import type { FeatureExtractPool } from '../features/extract-pool.js';
import { extractBatch } from '../features/extract-batch.js';
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
  /** Worker threads with this backbone loaded (same featureLayer, resize = decode.resize). */
  pool?: FeatureExtractPool | null;
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
    const chunks: number[][] = [];
    for (let start = 0; start < missing.length; start += BATCH) chunks.push(missing.slice(start, start + BATCH));
    // Each image's augmented view is seeded by its content and view number, so the
    // cached view is the same in every run (and on every thread) that shares the cache key.
    const augmentOf = (i: number) => (v === 0 ? null : { params: opts.augmentation, seed: seedOfText(items[i]!.sha256, v) });
    const runChunk = async (chunk: number[]) => {
      const data = opts.pool
        ? await opts.pool.extract(chunk.map((i) => ({ name: items[i]!.path, file: items[i]!.pathBytes, augment: augmentOf(i) })))
        : await extractBatch(
            (x) => opts.backbone.extract(x),
            await mapLimit(chunk, 8, async (i) => ({
              name: items[i]!.path,
              pixels: await decodeImage(items[i]!.pathBytes, items[i]!.path, opts.decode),
              augment: augmentOf(i),
            })),
            opts.decode.size,
            opts.decode.channels,
          );
      chunk.forEach((i, k) => {
        const row = data.slice(k * dim, (k + 1) * dim);
        table.set(row, i * dim);
        cache.put(items[i]!.sha256, row);
      });
      done += chunk.length;
      computed += chunk.length;
      opts.onProgress?.(done, total, computed / ((performance.now() - started) / 1000));
    };
    if (opts.pool) await Promise.all(chunks.map(runChunk));
    else for (const chunk of chunks) await runChunk(chunk);
    tables.push(table);
  }
  return { dim, views: tables, labels: items.map((i) => i.label) };
}

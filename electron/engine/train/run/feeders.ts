// Feeders turn item indices into the tensors one training or validation step needs.
// Two kinds: pixels (models that see images: fine-tuning, the small CNN and ViT, which
// augment afresh every step) and cached backbone features (the frozen-backbone head,
// which picks one of K precomputed augmented views per image and epoch).
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../../curation/prng.js';
import { augmentBatch } from '../augment/augment-batch.js';
import type { AugmentationConfig } from '../config.js';
import type { PixelSource } from '../data/pixel-source.js';

export interface Batch {
  x: tf.Tensor;
  y: tf.Tensor;
}

export interface Feeder {
  readonly trainCount: number;
  readonly validationCount: number;
  /** A training batch for these indices into the training items; `seed` drives augmentation. */
  trainBatch(indices: readonly number[], seed: number): Promise<Batch>;
  /** Validation items [start, end), never augmented. */
  validationBatch(start: number, end: number): Promise<Batch>;
  /**
   * The model that takes this feeder's batches, when it is not the run's model itself but
   * its trainable top, fed by a frozen trunk that runs inside the feeder (trunk-feeder.ts).
   * It shares its weights with the run's model: training it trains the model.
   */
  readonly feeds?: tf.LayersModel;
}

function oneHot(labels: readonly number[], classes: number): tf.Tensor2D {
  return tf.tidy(() => tf.oneHot(tf.tensor1d(labels as number[], 'int32'), classes).toFloat() as tf.Tensor2D);
}

function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, k) => start + k);
}

export class PixelFeeder implements Feeder {
  constructor(
    private readonly train: PixelSource,
    private readonly validation: PixelSource,
    private readonly numClasses: number,
    private readonly augmentation: AugmentationConfig,
    private readonly augment: boolean,
    /** Maps 0..1 pixels to what the model's input expects (a backbone's own range). */
    private readonly preprocess?: (x: tf.Tensor4D) => tf.Tensor4D,
  ) {}

  get trainCount(): number {
    return this.train.items.length;
  }
  get validationCount(): number {
    return this.validation.items.length;
  }

  private async toBatch(source: PixelSource, indices: readonly number[], seed: number | null): Promise<Batch> {
    const px = await source.pixels(indices);
    const { size, channels } = source.opts;
    const y = oneHot(
      indices.map((i) => source.items[i]!.label),
      this.numClasses,
    );
    const x = tf.tidy(() => {
      const raw = tf.div(tf.tensor4d(px, [indices.length, size, size, channels], 'int32').toFloat(), 255) as tf.Tensor4D;
      const seen = seed === null ? raw : augmentBatch(raw, this.augmentation, seed);
      return this.preprocess ? this.preprocess(seen) : seen;
    });
    return { x, y };
  }

  trainBatch(indices: readonly number[], seed: number): Promise<Batch> {
    return this.toBatch(this.train, indices, this.augment ? seed : null);
  }
  validationBatch(start: number, end: number): Promise<Batch> {
    return this.toBatch(this.validation, range(start, end), null);
  }
}

/** Features computed once per image and view; see features/extract-features.ts. */
export interface FeatureTable {
  dim: number;
  /** views[v] holds item i's features at [i·dim, (i+1)·dim); view 0 is the original image. */
  views: Float32Array[];
  labels: readonly number[];
}

export class FeatureFeeder implements Feeder {
  constructor(
    private readonly train: FeatureTable,
    private readonly validation: FeatureTable,
    private readonly numClasses: number,
  ) {}

  get trainCount(): number {
    return this.train.labels.length;
  }
  get validationCount(): number {
    return this.validation.labels.length;
  }

  private rows(table: FeatureTable, indices: readonly number[], pickView: (i: number) => number): Batch {
    const { dim } = table;
    const out = new Float32Array(indices.length * dim);
    indices.forEach((idx, k) => out.set(table.views[pickView(idx)]!.subarray(idx * dim, (idx + 1) * dim), k * dim));
    return {
      x: tf.tensor2d(out, [indices.length, dim]),
      y: oneHot(
        indices.map((i) => table.labels[i]!),
        this.numClasses,
      ),
    };
  }

  async trainBatch(indices: readonly number[], seed: number): Promise<Batch> {
    // Every image draws one of its views (the original included) for this step.
    const random = mulberry32(seed);
    const views = this.train.views.length;
    return this.rows(this.train, indices, () => Math.floor(random() * views));
  }
  async validationBatch(start: number, end: number): Promise<Batch> {
    return this.rows(this.validation, range(start, end), () => 0);
  }
}

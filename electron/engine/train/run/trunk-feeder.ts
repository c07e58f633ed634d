// A feeder that runs a frozen trunk over another feeder's batches, so that the training
// step (train-loop.ts) sees only the trainable top: the trunk runs here, before and
// outside optimizer.minimize, as plain inference, and none of its activations is kept
// for a gradient (models/split-at-trainable.ts says why that matters). Images are still
// decoded and augmented afresh for every batch by the inner feeder: the trunk's output is
// not cached, because augmentation draws different images every epoch.
import * as tf from '@tensorflow/tfjs';
import type { Batch, Feeder } from './feeders.js';

/**
 * Images per trunk pass. The trunk frees each activation once the next layer has read it,
 * so its peak memory is a few activation maps of one chunk: bounded whatever the batch
 * size (a 224 px MobileNetV2's largest map is 4.8 MB per image).
 */
export const TRUNK_CHUNK = 16;

export class TrunkFeeder implements Feeder {
  constructor(
    private readonly inner: Feeder,
    /** Inference only: its input is the inner feeder's x, its output the top's input. */
    private readonly trunk: tf.LayersModel,
    /** The trainable top, taking the trunk's output. */
    readonly feeds: tf.LayersModel,
    private readonly chunk = TRUNK_CHUNK,
  ) {}

  get trainCount(): number {
    return this.inner.trainCount;
  }
  get validationCount(): number {
    return this.inner.validationCount;
  }

  private through(batch: Batch): Batch {
    try {
      return { x: this.trunk.predict(batch.x, { batchSize: this.chunk }) as tf.Tensor, y: batch.y };
    } catch (err) {
      batch.y.dispose();
      throw err;
    } finally {
      batch.x.dispose();
    }
  }

  async trainBatch(indices: readonly number[], seed: number): Promise<Batch> {
    return this.through(await this.inner.trainBatch(indices, seed));
  }
  async validationBatch(start: number, end: number): Promise<Batch> {
    return this.through(await this.inner.validationBatch(start, end));
  }
}

// Runs a model over every item of a feeder's validation side, in inference mode, and
// keeps each item's class probabilities plus the summed loss. The loss is the training
// loop's own (metrics.ts crossEntropy), so an evaluation of the validation split repeats
// the number training recorded for the same checkpoint.
import * as tf from '@tensorflow/tfjs';
import type { Feeder } from '../train/run/feeders.js';
import { crossEntropy } from '../train/run/metrics.js';

/** The batch size training validates with at most (train-loop: max(batchSize, 64)). */
export const EVALUATION_BATCH = 64;

export interface ModelScores {
  /** n × numClasses probabilities, row-major, in the feeder's item order. */
  probabilities: Float32Array;
  numClasses: number;
  /** Mean cross-entropy over the items; null when there are none. */
  loss: number | null;
}

export async function scoreModel(
  model: tf.LayersModel,
  feeder: Feeder,
  numClasses: number,
  onProgress?: (done: number, total: number) => void,
): Promise<ModelScores> {
  const n = feeder.validationCount;
  const probabilities = new Float32Array(n * numClasses);
  let lossSum = 0;
  for (let start = 0; start < n; start += EVALUATION_BATCH) {
    const end = Math.min(n, start + EVALUATION_BATCH);
    const { x, y } = await feeder.validationBatch(start, end);
    const [p, l] = tf.tidy(() => {
      const out = model.apply(x, { training: false }) as tf.Tensor;
      return [out, tf.mul(crossEntropy(out, y), end - start)];
    });
    const rows = (await p!.data()) as Float32Array;
    if (rows.length !== (end - start) * numClasses) {
      tf.dispose([x, y, p!, l!]);
      throw new Error(`the model gives ${p!.shape.join('×')} outputs for ${end - start} images; its checkpoint names ${numClasses} classes`);
    }
    probabilities.set(rows, start * numClasses);
    lossSum += (await l!.data())[0]!;
    tf.dispose([x, y, p!, l!]);
    onProgress?.(end, n);
  }
  return { probabilities, numClasses, loss: n === 0 ? null : lossSum / n };
}

/** Index of the largest value in row i (the first on a tie, as tf.argMax does). */
export function argMaxRow(probabilities: Float32Array, numClasses: number, i: number): number {
  let best = 0;
  for (let c = 1; c < numClasses; c++) if (probabilities[i * numClasses + c]! > probabilities[i * numClasses + best]!) best = c;
  return best;
}

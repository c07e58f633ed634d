// Parameter counts for reports and the training form ("138,890 weights, 12,810 trained").
import type * as tf from '@tensorflow/tfjs';

// A weight's shape is always fully known (TF.js types it as possibly unknown).
function size(shape: readonly (number | null)[]): number {
  return shape.reduce<number>((a, b) => a * (b ?? 0), 1);
}

/** Every weight value in the model, trained or not (batch-norm moving statistics included). */
export function countParams(model: tf.LayersModel): number {
  return model.weights.reduce((sum, w) => sum + size(w.shape), 0);
}

/** The weight values an optimiser changes: those of trainable layers, without frozen ones. */
export function trainableParamCount(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((sum, w) => sum + size(w.shape), 0);
}

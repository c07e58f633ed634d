// Keeps batch normalisation in inference mode (moving mean and variance) while the rest
// of a model trains. Fine-tuning here runs small batches (8–32 images, often of few
// classes): their means and variances are noisy and unlike the statistics the backbone
// was trained with, so normalising by them shifts every feature the frozen layers
// produce, and writing them into the moving averages spoils the backbone for inference.
//
// In TF.js (unlike Keras) a BatchNormalization layer with trainable = false still
// normalises by the batch's statistics and updates its moving averages whenever it is
// called in training mode (tfjs-layers normalization.js: only `training` decides). So
// besides freezing gamma and beta, each layer's call is made to ignore `training`.
// The saved model is an ordinary BatchNormalization; call this again after loading one
// to fine-tune it further.
import type * as tf from '@tensorflow/tfjs';

const pinned = Symbol('holdout.batchNormInInference');
type CallFn = tf.layers.Layer['call'];

export function isBatchNorm(layer: tf.layers.Layer): boolean {
  return layer.getClassName() === 'BatchNormalization';
}

/** Sub-layers of a model nested as a layer, so their BN layers are found too. */
function childLayers(layer: tf.layers.Layer): tf.layers.Layer[] {
  const maybe = (layer as unknown as { layers?: unknown }).layers;
  return Array.isArray(maybe) ? (maybe as tf.layers.Layer[]) : [];
}

/** Freezes every BatchNormalization layer of `model` (nested ones too) in inference mode. Returns how many. */
export function keepBatchNormInInference(model: tf.LayersModel): number {
  let count = 0;
  const visit = (layer: tf.layers.Layer): void => {
    if (isBatchNorm(layer)) {
      layer.trainable = false;
      const marked = layer as tf.layers.Layer & { [pinned]?: true; call: CallFn };
      if (!marked[pinned]) {
        const original = layer.call.bind(layer);
        marked.call = (inputs, kwargs) => original(inputs, { ...kwargs, training: false });
        marked[pinned] = true;
      }
      count++;
    }
    childLayers(layer).forEach(visit);
  };
  model.layers.forEach(visit);
  return count;
}

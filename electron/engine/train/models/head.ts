// The small classifier that sits on features: on frozen backbone features (the fast
// default), on a fine-tuned backbone, and as the pattern for the from-scratch models.
// Dropout comes before each dense layer, where most of the weights are (the lecture's
// "dropout before the large dense layer").
import * as tf from '@tensorflow/tfjs';
import { seededInitializers } from './seeded-initializers.js';
import { requireDropout, requireInteger, requireSeed } from './validate-options.js';

export interface HeadOptions {
  numClasses: number;
  /** Units of the hidden dense layer; 0 gives a linear softmax classifier (a "linear probe"). Default 256. */
  hiddenUnits?: number;
  /** Dropout rate before each dense layer, 0 … 0.9. Default 0.3. */
  dropout?: number;
  seed: number;
}

export interface BuildHeadOptions extends HeadOptions {
  featureDim: number;
}

export const HEAD_DEFAULTS = { hiddenUnits: 256, dropout: 0.3 } as const;

/**
 * Adds the head's layers on top of `features` (shape [batch, dim]) and returns the
 * softmax output. Layer names start with `head_` so they cannot collide with a
 * backbone's layers when both live in one model.
 */
export function applyHead(features: tf.SymbolicTensor, options: HeadOptions): tf.SymbolicTensor {
  const numClasses = requireInteger('numClasses', options.numClasses, 2, 100_000);
  const hiddenUnits = requireInteger('hiddenUnits', options.hiddenUnits ?? HEAD_DEFAULTS.hiddenUnits, 0, 65_536);
  const rate = requireDropout(options.dropout ?? HEAD_DEFAULTS.dropout);
  const init = seededInitializers(requireSeed(options.seed));

  // No seed on Dropout: TF.js would then draw the very same mask on every batch,
  // which is not dropout at all. Masks come from TF.js's global generator instead.
  let x = tf.layers.dropout({ rate, name: 'head_dropout_features' }).apply(features) as tf.SymbolicTensor;
  if (hiddenUnits > 0) {
    x = tf.layers
      .dense({ units: hiddenUnits, activation: 'relu', kernelInitializer: init.glorotUniform(), name: 'head_hidden' })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.dropout({ rate, name: 'head_dropout_hidden' }).apply(x) as tf.SymbolicTensor;
  }
  return tf.layers
    .dense({ units: numClasses, activation: 'softmax', kernelInitializer: init.glorotUniform(), name: 'head_output' })
    .apply(x) as tf.SymbolicTensor;
}

/** A head as its own model: input [batch, featureDim] features, output class probabilities. */
export function buildHead(options: BuildHeadOptions): tf.LayersModel {
  const featureDim = requireInteger('featureDim', options.featureDim, 1, 1_000_000);
  const input = tf.input({ shape: [featureDim], name: 'head_features' });
  return tf.model({ inputs: input, outputs: applyHead(input, options), name: 'head' });
}

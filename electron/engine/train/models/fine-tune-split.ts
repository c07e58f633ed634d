// A fine-tune model made ready to train as TRUNK + TOP (see split-at-trainable.ts for
// why): the trunk is every backbone layer below the first one that trains, run as
// inference with batch normalisation folded into its convolutions (fold-batch-norm.ts);
// the top is the trained blocks, the layers above them and the head, on the fine-tune
// model's own layers. The fine-tune model itself stays whole: it is what checkpoints
// save and what evaluation and prediction load, and training the top changes it.
import type * as tf from '@tensorflow/tfjs';
import { foldBatchNorm } from '../backbones/fold-batch-norm.js';
import type { FineTuneModel } from './fine-tune.js';
import { splitAtTrainable } from './split-at-trainable.js';

export interface FineTuneSplit {
  /** Inference-only copy of the frozen trunk (folded); owns its weights. Never on the gradient tape. */
  trunk: tf.LayersModel;
  /** Takes the trunk's output; shares its weights with the fine-tune model. Train this. */
  top: tf.LayersModel;
  /** The layer whose output the top takes, e.g. 'block_15_add'. */
  cutLayer: string;
  /** Frees the folded trunk and the top's hold on the shared layers (the fine-tune model keeps its own). */
  dispose(): void;
}

export type FineTuneSplitOutcome = { split: FineTuneSplit; reason: null } | { split: null; reason: string };

/**
 * Layers whose output differs between training and inference. They must stay in the top,
 * which runs in training mode, even when they have no weights (the head's dropout sits
 * below its first dense layer). BatchNormalization is not listed: fine-tuning pins it to
 * inference (batch-norm-inference.ts), so it computes the same in both modes.
 */
const TRAINING_DEPENDENT = new Set(['Dropout', 'SpatialDropout1D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout']);

/**
 * Splits a fine-tune model (from buildFineTune) into a folded trunk and a trainable top.
 * When the cut is not a single tensor, returns why: train `fineTune.model` whole then.
 */
export async function splitFineTune(fineTune: FineTuneModel): Promise<FineTuneSplitOutcome> {
  const backbone = new Set(fineTune.backboneLayers);
  const trained = new Set(fineTune.plan.trainableLayers);
  const startsTop = (layer: tf.layers.Layer): boolean =>
    !backbone.has(layer.name) || trained.has(layer.name) || TRAINING_DEPENDENT.has(layer.getClassName());
  const outcome = splitAtTrainable(fineTune.model, startsTop);
  if (!outcome.split) return outcome;
  const { trunk: shared, top, cutLayer } = outcome.split;
  // The folded copy computes what the shared trunk computes in inference mode, which is
  // what it computes in training mode too: no layer in it trains or depends on `training`.
  const { model: trunk } = await foldBatchNorm(shared);
  return {
    split: {
      trunk,
      top,
      cutLayer,
      dispose: () => {
        trunk.dispose();
        top.dispose();
      },
    },
    reason: null,
  };
}

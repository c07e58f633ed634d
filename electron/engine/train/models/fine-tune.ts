// Fine-tuning: the backbone up to its feature layer, averaged over space when that layer
// is a feature map, then the head; the top of the backbone trains with the head, the
// rest stays frozen, and batch normalisation stays in inference mode throughout.
import * as tf from '@tensorflow/tfjs';
import { ApiError } from '../../../api/errors.js';
import { keepBatchNormInInference } from './batch-norm-inference.js';
import { cloneLayersModel } from './clone-model.js';
import { applyHead, type HeadOptions } from './head.js';
import { planUnfreeze, type UnfreezePlan, type UnfreezeSpec } from './unfreeze-plan.js';
import { requireInteger } from './validate-options.js';

export interface FineTuneOptions extends HeadOptions {
  backbone: tf.LayersModel;
  /** Name of the backbone layer whose output are the features (e.g. MobileNetV2's 'out_relu'). */
  featureLayer: string;
  /** The top layers with weights, or the top blocks (block_<n>_ names), to train. */
  trainableTop: UnfreezeSpec;
  /**
   * Build on the backbone's own layers instead of a copy. Saves the copy's memory, but
   * training then changes the backbone itself: only for a backbone loaded for this model.
   */
  shareBackbone?: boolean;
}

export interface FineTuneModel {
  model: tf.LayersModel;
  plan: UnfreezePlan;
  /** Names of the backbone's layers up to the feature layer, in model order (the rest is the head's). */
  backboneLayers: string[];
}

function featureOutput(backbone: tf.LayersModel, name: string): tf.SymbolicTensor {
  const layer = backbone.layers.find((l) => l.name === name);
  if (!layer) {
    const last = backbone.layers.slice(-5).map((l) => l.name).join(', ');
    throw new ApiError('invalid_request', `the backbone has no layer named '${name}' (its last layers are: ${last})`, 'featureLayer');
  }
  const out = layer.output;
  if (Array.isArray(out)) {
    throw new ApiError('invalid_request', `layer '${name}' has ${out.length} outputs; choose a layer with one`, 'featureLayer');
  }
  return out;
}

function validateSpec(spec: UnfreezeSpec): UnfreezeSpec {
  if ('blocks' in spec) return { blocks: requireInteger('trainableTop.blocks', spec.blocks, 0, 10_000) };
  return { layers: requireInteger('trainableTop.layers', spec.layers, 0, 10_000) };
}

/** The fine-tune model and the plan of what trains (to show the user "training blocks 15–16"). */
export function buildFineTune(options: FineTuneOptions): FineTuneModel {
  const spec = validateSpec(options.trainableTop);
  const backbone = options.shareBackbone ? options.backbone : cloneLayersModel(options.backbone);
  const features = featureOutput(backbone, options.featureLayer);

  let pooled = features;
  const rank = features.shape.length;
  if (rank === 4) {
    pooled = tf.layers.globalAveragePooling2d({ name: 'head_feature_pool' }).apply(features) as tf.SymbolicTensor;
  } else if (rank !== 2) {
    throw new ApiError(
      'invalid_request',
      `layer '${options.featureLayer}' gives shape [${features.shape.join(', ')}]; choose a layer that gives a feature vector or a feature map`,
      'featureLayer',
    );
  }

  // The backbone's layers up to the feature layer, in order; a model object made only to
  // list them (it shares the layers, it copies nothing).
  const trunk = tf.model({ inputs: backbone.inputs, outputs: features });
  const plan = planUnfreeze(trunk.layers, spec);
  const trainable = new Set(plan.trainableLayers);
  for (const layer of trunk.layers) layer.trainable = trainable.has(layer.name);

  const model = tf.model({ inputs: backbone.inputs, outputs: applyHead(pooled, options), name: 'fine_tune' });
  keepBatchNormInInference(model);
  return { model, plan, backboneLayers: trunk.layers.map((l) => l.name) };
}

/** The fine-tune model alone; see buildFineTune for the plan of what trains. */
export function buildFineTuneModel(options: FineTuneOptions): tf.LayersModel {
  return buildFineTune(options).model;
}

// A backbone turns images into feature vectors. Whatever the model's format or the
// input range it was trained on, callers hand it float32 NHWC values in 0..1, already
// resized to inputSize, and get [N, featureDim] back; the model's own preprocessing
// (from backbone.json) is applied inside, so no caller can forget or double it.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ApiError } from '../../../api/errors.js';
import { readDescriptor, type BackboneDescriptor, type BackboneEntry } from './descriptor.js';
import { graphFeatureExtractor } from './graph-backbone.js';
import { layersFeatureExtractor } from './layers-backbone.js';
import { readModelFolder } from './load-model-folder.js';

export interface Backbone {
  readonly id: string;
  readonly name: string;
  readonly inputSize: number;
  readonly channels: 1 | 3;
  readonly featureDim: number;
  readonly featureLayer: string;
  readonly format: 'layers' | 'graph';
  readonly descriptor: BackboneDescriptor;
  /** What the model expects from pixel values 0..255: pixel·scale + offset (backbone.json's). */
  readonly preprocessing: { readonly scale: number; readonly offset: number };
  /** 0..1 values → what the model expects (pixel·scale + offset on 0..255). */
  preprocess(x: tf.Tensor4D): tf.Tensor4D;
  /** x: float32 [N, inputSize, inputSize, channels], values 0..1. Returns [N, featureDim]. */
  extract(x: tf.Tensor4D): tf.Tensor2D;
  /**
   * Layers models only: the feature model (its input takes *preprocessed* values —
   * call preprocess first), sharing its layers with the backbone, for fine-tuning.
   */
  readonly layersModel?: tf.LayersModel;
  dispose(): void;
}

/** What a format-specific loader hands back to loadBackbone. */
export interface FeatureExtractor {
  featureDim: number | undefined;
  /** Preprocessed input → [N, D] features (D unchecked). */
  run(input: tf.Tensor4D): tf.Tensor2D;
  layersModel?: tf.LayersModel;
  dispose(): void;
}

export interface LoadBackboneOptions {
  /** Use another layer (or graph node) than backbone.json's featureLayer. */
  featureLayer?: string;
  /** Frozen features only: fold a layers model's batch norms (faster; no layersModel, no fine-tuning). */
  inferenceOnly?: boolean;
}

/** Loads a backbone from a folder holding model.json, its shards and backbone.json. */
export async function loadBackbone(source: BackboneEntry | string, options: LoadBackboneOptions = {}): Promise<Backbone> {
  const dir = typeof source === 'string' ? source : source.dir;
  const base = typeof source === 'string' ? readDescriptor(dir) : source.descriptor;
  const featureLayer = options.featureLayer ?? base.featureLayer;
  const folder = readModelFolder(dir);
  if (folder.format !== base.format) {
    throw new ApiError('invalid_request', `${path.join(dir, 'backbone.json')} says "${base.format}" but model.json is a ${folder.format} model`, 'format');
  }
  const extractor =
    folder.format === 'layers' ? await layersFeatureExtractor(folder, featureLayer, options.inferenceOnly ?? false) : await graphFeatureExtractor(folder, featureLayer);
  // A layer other than the described one has its own width; the described one must match.
  const descriptor: BackboneDescriptor = { ...base, featureLayer };
  if (featureLayer !== base.featureLayer) {
    try {
      descriptor.featureDim = extractor.featureDim ?? probeFeatureDim(extractor, base);
    } catch (err) {
      extractor.dispose();
      throw err;
    }
  } else if (extractor.featureDim !== undefined && extractor.featureDim !== base.featureDim) {
    extractor.dispose();
    throw new ApiError(
      'invalid_request',
      `${path.join(dir, 'backbone.json')}: featureDim is ${base.featureDim} but layer "${featureLayer}" gives ${extractor.featureDim} values`,
      'featureDim',
    );
  }
  return makeBackbone(descriptor, extractor);
}

/** Runs one blank image through the extractor to learn how wide its features are. */
export function probeFeatureDim(extractor: FeatureExtractor, d: Pick<BackboneDescriptor, 'inputSize' | 'channels'>): number {
  return tf.tidy(() => {
    const out = extractor.run(tf.zeros([1, d.inputSize, d.inputSize, d.channels]));
    return out.shape[1];
  });
}

function makeBackbone(d: BackboneDescriptor, extractor: FeatureExtractor): Backbone {
  const factor = 255 * d.preprocessing.scale;
  const offset = d.preprocessing.offset;
  // nsfwjs-style models want exactly 0..1: skip two whole-tensor passes for them.
  const identity = Math.abs(factor - 1) < 1e-9 && offset === 0;
  const preprocess = (x: tf.Tensor4D): tf.Tensor4D =>
    identity ? x : tf.tidy(() => tf.add(tf.mul(x, factor), offset) as tf.Tensor4D);
  let checked = false;
  let disposed = false;
  const backbone: Backbone = {
    id: d.id,
    name: d.name,
    inputSize: d.inputSize,
    channels: d.channels,
    featureDim: d.featureDim,
    featureLayer: d.featureLayer,
    format: d.format,
    descriptor: d,
    preprocessing: d.preprocessing,
    preprocess,
    extract(x) {
      if (disposed) throw new Error(`backbone ${d.id} has been disposed`);
      const [, h, w, c] = x.shape;
      if (x.rank !== 4 || h !== d.inputSize || w !== d.inputSize || c !== d.channels) {
        throw new ApiError(
          'invalid_request',
          `backbone ${d.id} takes images of shape [N, ${d.inputSize}, ${d.inputSize}, ${d.channels}], got [${x.shape.join(', ')}]`,
          'images',
        );
      }
      const features = tf.tidy(() => extractor.run(preprocess(x.toFloat())));
      if (!checked) {
        checked = true;
        if (features.shape[1] !== d.featureDim) {
          features.dispose();
          checked = false;
          throw new ApiError('invalid_request', `backbone ${d.id}: "${d.featureLayer}" gives ${features.shape[1]} values, its backbone.json says featureDim ${d.featureDim}`, 'featureDim');
        }
      }
      return features;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      extractor.dispose();
    },
  };
  if (extractor.layersModel) Object.assign(backbone, { layersModel: extractor.layersModel });
  return backbone;
}

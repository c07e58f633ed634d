// From a configuration and a training set to a model and the feeder that serves it
// batches. 'auto' is resolved here from the data (choose-defaults.ts), and the choice
// with its reason is returned so the run record and the UI can show it.
import * as tf from '@tensorflow/tfjs';
import { findBackbone, resolveBackbone } from '../backbones/resolve-backbone.js';
import { FeatureExtractPool } from '../features/extract-pool.js';
import type { Backbone } from '../backbones/backbone.js';
import { augmentationOf, type AugmentationConfig, type ResolvedModelKind, type TrainConfig } from '../config.js';
import { dataFacts } from '../data/data-facts.js';
import { PixelSource } from '../data/pixel-source.js';
import type { TrainingSet } from '../data/training-set.js';
import { buildFineTune } from '../models/fine-tune.js';
import { splitFineTune, type FineTuneSplit } from '../models/fine-tune-split.js';
import { buildHead } from '../models/head.js';
import { buildSmallCnn } from '../models/small-cnn.js';
import { buildSmallVit } from '../models/small-vit.js';
import { chooseDefaults, defaultAugmentationFor } from './choose-defaults.js';
import { extractFeatureTable } from './extract-features.js';
import { FeatureFeeder, PixelFeeder, type Feeder } from './feeders.js';
import { TrunkFeeder } from './trunk-feeder.js';
import type { TrainPhase } from './progress.js';

export interface PreparedModel {
  modelKind: ResolvedModelKind;
  inputSize: number;
  channels: 1 | 3;
  resize: TrainConfig['resize'];
  backboneId: string | null;
  /** Why this model kind: shown to the user. */
  reason: string;
  /** The augmentation strengths in force (what 'default' resolved to for this input size). */
  augmentation: AugmentationConfig;
  model: tf.LayersModel;
  feeder: Feeder;
  dispose(): void;
}

export interface PrepareInput {
  projectDir: string;
  config: TrainConfig;
  set: TrainingSet;
  seed: number;
  onPhase?(phase: TrainPhase, done: number, total: number, imagesPerSecond: number | null): void;
}

export async function prepareModel(input: PrepareInput): Promise<PreparedModel> {
  const { config, set, seed } = input;
  const numClasses = set.classes.length;
  const needsBackbone = config.modelKind === 'auto' || config.modelKind === 'frozen-head' || config.modelKind === 'fine-tune';
  let backbone: Backbone | null = needsBackbone
    ? await resolveBackbone(input.projectDir, config.backbone, config.modelKind === 'fine-tune' ? 'fine-tune' : 'features')
    : null;

  let kind: ResolvedModelKind;
  let inputSize: number;
  let channels: 1 | 3;
  let reason: string;
  if (config.modelKind === 'auto') {
    const choice = chooseDefaults(await dataFacts(set), backbone!);
    ({ modelKind: kind, inputSize, channels, reason } = choice);
    if (config.inputSize) inputSize = backbone && kind !== 'small-cnn' ? backbone.inputSize : config.inputSize;
  } else {
    kind = config.modelKind;
    if (backbone) {
      inputSize = backbone.inputSize;
      channels = 3;
      reason = kind === 'fine-tune' ? `fine-tuning the top ${config.fineTuneBlocks} blocks of ${backbone.name}` : `transfer learning from ${backbone.name}`;
    } else {
      const facts = await dataFacts(set);
      inputSize = config.inputSize ?? Math.max(16, Math.min(64, facts.medianSide));
      channels = facts.greyscale ? 1 : 3;
      reason = kind === 'small-cnn' ? 'a small CNN trained from scratch (chosen in the settings)' : 'a small Vision Transformer trained from scratch (chosen in the settings)';
    }
  }
  if (backbone && kind !== 'frozen-head' && kind !== 'fine-tune') {
    backbone.dispose();
    backbone = null;
  }
  const decode = { size: inputSize, channels, resize: config.resize };
  const augmentation = config.augmentation === 'default' ? defaultAugmentationFor(inputSize) : augmentationOf(config);

  if (kind === 'frozen-head') {
    // wasm runs on one thread: spread the backbone over the spare cores. Native
    // backends (tfjs-node) use every core themselves.
    const pool =
      tf.getBackend() === 'wasm'
        ? await FeatureExtractPool.start({ backbone: findBackbone(input.projectDir, backbone!.id), featureLayer: backbone!.featureLayer, resize: config.resize })
        : null;
    const opts = {
      pool,
      projectDir: input.projectDir,
      backbone: backbone!,
      decode,
      augmentation,
      views: config.augmentViews,
      onProgress: (done: number, total: number, ips: number | null) => input.onPhase?.('features', done, total, ips),
    };
    let train, validation;
    try {
      train = await extractFeatureTable(set.train, config.augmentViews, opts);
      validation = await extractFeatureTable(set.validation, 0, { ...opts, onProgress: undefined });
    } finally {
      await pool?.close();
    }
    const id = backbone!.id;
    backbone!.dispose();
    const model = buildHead({ featureDim: train.dim, numClasses, hiddenUnits: config.hiddenUnits, dropout: config.dropout, seed });
    return {
      modelKind: kind,
      inputSize,
      channels,
      resize: config.resize,
      backboneId: id,
      reason,
      augmentation,
      model,
      feeder: new FeatureFeeder(train, validation, numClasses),
      dispose: () => undefined,
    };
  }

  const trainPixels = new PixelSource(set.train, decode);
  const valPixels = new PixelSource(set.validation, decode);
  const total = set.train.length + set.validation.length;
  await trainPixels.preload((done) => input.onPhase?.('decoding', done, total, null));
  await valPixels.preload((done) => input.onPhase?.('decoding', set.train.length + done, total, null));

  let model: tf.LayersModel;
  let split: FineTuneSplit | null = null;
  if (kind === 'fine-tune') {
    if (!backbone?.layersModel) {
      throw new Error(`backbone ${backbone?.name ?? ''} is a graph model: it can extract features but cannot be fine-tuned; choose 'frozen-head'`);
    }
    const fineTune = buildFineTune({
      backbone: backbone.layersModel,
      featureLayer: backbone.featureLayer,
      trainableTop: { blocks: config.fineTuneBlocks },
      // The backbone was loaded for this run alone: train its own layers, no copy.
      shareBackbone: true,
      numClasses,
      hiddenUnits: config.hiddenUnits,
      dropout: config.dropout,
      seed,
    });
    model = fineTune.model;
    // Train the top alone, fed by the frozen trunk run as folded inference outside the
    // gradient tape: otherwise the tape keeps every frozen activation (a 224 px
    // MobileNetV2 passed wasm's 4 GB heap at batch 16). When the trained part does not
    // start at a single tensor, the whole model trains as before (splitFineTune says why).
    ({ split } = await splitFineTune(fineTune));
  } else if (kind === 'small-cnn') {
    model = buildSmallCnn({ inputSize, channels, numClasses, dropout: config.dropout, seed });
  } else {
    model = buildSmallVit({ inputSize, channels, numClasses, dropout: config.dropout, seed });
  }
  const backboneId = backbone?.id ?? null;
  // A fine-tuned backbone expects its own input range: applied after augmentation.
  const pixels = new PixelFeeder(trainPixels, valPixels, numClasses, augmentation, true, kind === 'fine-tune' ? (x) => backbone!.preprocess(x) : undefined);
  return {
    modelKind: kind,
    inputSize,
    channels,
    resize: config.resize,
    backboneId,
    reason,
    augmentation,
    model,
    feeder: split ? new TrunkFeeder(pixels, split.trunk, split.top) : pixels,
    // A fine-tuned model is built on the backbone's own layers (shareBackbone): disposing
    // the model frees them, and disposing the backbone again would fail. The top holds
    // those layers too: they are freed once both the model and the top are disposed.
    dispose: () => {
      if (kind !== 'fine-tune') backbone?.dispose();
      split?.dispose();
    },
  };
}

// The ViT's four custom layers, from their one definition: resources/export-example/
// holdout-layers.js, the same file every export carries, so an exported ViT computes
// exactly what the app computed. It is plain JavaScript (it must also run as a classic
// <script> in the exported web page), loaded here once with require() and typed by the
// interface below. Loading it registers the classes with TF.js under their class names
// (HoldoutLayerNorm, …), which is what lets saved checkpoints load.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { resourcesDir } from '../../backbones/bundled.js';
import { packageInfo } from '../../../util/package-info.js';
import { seededInitializers, type Initializer } from '../seeded-initializers.js';
import type { HoldoutLayerClass, LayerArgs } from './layer-types.js';

export const HOLDOUT_LAYERS_FILE = 'holdout-layers.js';

export interface LayerNormArgs extends LayerArgs {
  epsilon?: number;
}
export interface PatchEmbeddingArgs extends LayerArgs {
  patchSize: number;
  dim: number;
  seed: number;
}
export interface PositionEmbeddingArgs extends LayerArgs {
  seed: number;
}
export interface SelfAttentionArgs extends LayerArgs {
  heads: number;
  seed: number;
}

export interface HoldoutLayerClasses {
  LayerNorm: HoldoutLayerClass<LayerNormArgs>;
  PatchEmbedding: HoldoutLayerClass<PatchEmbeddingArgs>;
  PositionEmbedding: HoldoutLayerClass<PositionEmbeddingArgs>;
  SelfAttention: HoldoutLayerClass<SelfAttentionArgs>;
}

/** What holdout-layers.js exports under CommonJS. */
interface HoldoutLayersModule {
  defineHoldoutLayers(tfModule: typeof tf, options?: { kernelInitializers?: (seed: number) => () => Initializer }): HoldoutLayerClasses;
  CLASS_NAMES: string[];
}

/**
 * The folder of the export example files, holdout-layers.js among them: under the
 * resources folder (HOLDOUT_RESOURCES_DIR in the packaged app, which may hold only the
 * models), else the app's own resources/, so training never depends on how they ship.
 */
export function exportExampleDir(): string {
  const candidates = [resourcesDir(), path.join(packageInfo().root, 'resources')].map((d) => path.join(d, 'export-example'));
  return candidates.find((d) => fs.existsSync(path.join(d, HOLDOUT_LAYERS_FILE))) ?? candidates[0]!;
}

export function holdoutLayersPath(): string {
  return path.join(exportExampleDir(), HOLDOUT_LAYERS_FILE);
}

function load(): { classes: HoldoutLayerClasses; classNames: readonly string[] } {
  const file = holdoutLayersPath();
  let mod: HoldoutLayersModule;
  try {
    mod = createRequire(import.meta.url)(file) as HoldoutLayersModule;
    if (typeof mod.defineHoldoutLayers !== 'function') throw new Error('it does not export defineHoldoutLayers');
  } catch (err) {
    throw new Error(`cannot load the Vision Transformer's layers from ${file}: ${(err as Error).message}`);
  }
  // The engine's own seeded initialisers, in the order the layers ask for them: a run's
  // seed gives the same initial weights as before the layers moved into this file.
  const classes = mod.defineHoldoutLayers(tf, {
    kernelInitializers: (seed) => {
      const init = seededInitializers(seed);
      return () => init.glorotUniform();
    },
  });
  return { classes, classNames: [...mod.CLASS_NAMES] };
}

const loaded = load();
export const holdoutLayers: HoldoutLayerClasses = loaded.classes;
/** The registered class names, as model.json's class_name: how an export finds the layers a model needs. */
export const HOLDOUT_LAYER_CLASS_NAMES: readonly string[] = loaded.classNames;

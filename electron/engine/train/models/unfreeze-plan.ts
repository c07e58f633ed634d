// Which backbone layers fine-tuning trains: the top N layers that have weights, or the
// top K blocks of a backbone whose layers are named by block (Keras MobileNetV2:
// block_1_expand … block_16_project, then Conv_1 on top). Batch normalisation layers
// are never trained (see batch-norm-inference.ts). Pure: decides, does not change layers.
import type * as tf from '@tensorflow/tfjs';
import { isBatchNorm } from './batch-norm-inference.js';

export type UnfreezeSpec = { layers: number } | { blocks: number };

export interface UnfreezePlan {
  /** What was counted: blocks, or layers (asked for, or because no layer is named block_<n>_). */
  basis: 'layers' | 'blocks';
  /** True when blocks were asked for but the backbone has no block_<n>_ names. */
  fellBackToLayers: boolean;
  /** The block numbers unfrozen, lowest first (empty when counting layers). */
  blocks: number[];
  /** Names of the layers to train, in model order. */
  trainableLayers: string[];
}

const BLOCK_NAME = /^block_(\d+)_/;

export function blockNumber(layerName: string): number | null {
  const m = BLOCK_NAME.exec(layerName);
  return m ? Number(m[1]) : null;
}

/** Layers whose weights fine-tuning may change: they have weights and are not batch normalisation. */
function tunable(layers: tf.layers.Layer[]): tf.layers.Layer[] {
  return layers.filter((l) => l.weights.length > 0 && !isBatchNorm(l));
}

/**
 * `layers` are the backbone's layers up to the feature layer, in model (topological)
 * order. A count larger than what exists unfreezes everything.
 */
export function planUnfreeze(layers: tf.layers.Layer[], spec: UnfreezeSpec): UnfreezePlan {
  const candidates = tunable(layers);
  const topLayers = (n: number): string[] => (n <= 0 ? [] : candidates.slice(-n).map((l) => l.name));

  if ('layers' in spec) {
    return { basis: 'layers', fellBackToLayers: false, blocks: [], trainableLayers: topLayers(spec.layers) };
  }
  const numbers = [...new Set(layers.map((l) => blockNumber(l.name)).filter((n): n is number => n !== null))].sort((a, b) => a - b);
  if (numbers.length === 0) {
    return { basis: 'layers', fellBackToLayers: true, blocks: [], trainableLayers: topLayers(spec.blocks) };
  }
  if (spec.blocks <= 0) return { basis: 'blocks', fellBackToLayers: false, blocks: [], trainableLayers: [] };
  const chosen = numbers.slice(-spec.blocks);
  // Everything from the first layer of the lowest chosen block upwards: the chosen blocks
  // and the layers above the last block (MobileNetV2's Conv_1), which feed the features.
  // Asking for every block unfreezes the stem below block 1 as well.
  const lowest = chosen[0]!;
  const start = spec.blocks >= numbers.length ? 0 : layers.findIndex((l) => blockNumber(l.name) === lowest);
  const above = new Set(layers.slice(start).map((l) => l.name));
  return {
    basis: 'blocks',
    fellBackToLayers: false,
    blocks: chosen,
    trainableLayers: candidates.filter((l) => above.has(l.name)).map((l) => l.name),
  };
}

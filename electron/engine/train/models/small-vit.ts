// A small Vision Transformer trained from scratch, for small images (28–64 px):
//
//   patches (kernel = stride = patch) → + learned positions → depth × block → LayerNorm
//   → average of the tokens → dropout → softmax
//   block: x + Dropout(Attention(LN(x))), then x + Dropout(MLP(LN(x)))   (pre-norm)
//
// Tokens are averaged instead of read from a learned class token: a class token must be
// copied across the batch (a Tile, slow on wasm) and, for small ViTs trained from
// scratch, averaging is as accurate and trains more steadily (Beyer et al. 2022,
// "Better plain ViT baselines").
// Loading a saved ViT needs this module imported: it registers the custom layers.
import * as tf from '@tensorflow/tfjs';
import { seededInitializers, type SeededInitializers } from './seeded-initializers.js';
import { requireDivisor, requireDropout, requireInteger, requireOneOf, requireSeed } from './validate-options.js';
import { LayerNorm } from './vit-layers/layer-norm.js';
import { PatchEmbedding } from './vit-layers/patch-embedding.js';
import { PositionEmbedding } from './vit-layers/position-embedding.js';
import { SelfAttention } from './vit-layers/self-attention.js';

export interface SmallVitOptions {
  /** Side of the square input in pixels (8 … 256). */
  inputSize: number;
  channels: number;
  numClasses: number;
  /** Side of a patch; must divide inputSize. Default: see defaultPatchSize. */
  patchSize?: number;
  /** Token width. Default 64. */
  dim?: number;
  /** Transformer blocks. Default 4. */
  depth?: number;
  /** Attention heads; must divide dim. Default 4. */
  heads?: number;
  /** MLP width as a multiple of dim. Default 2. */
  mlpRatio?: number;
  /** Dropout on each residual branch and before the classifier, 0 … 0.9. Default 0.1. */
  dropout?: number;
  /** MLP activation. Default 'gelu'. */
  mlpActivation?: 'gelu' | 'relu';
  seed: number;
}

export const VIT_DEFAULTS = { dim: 64, depth: 4, heads: 4, mlpRatio: 2, dropout: 0.1, mlpActivation: 'gelu' } as const;

/**
 * 4 px patches up to 32 px images (7×7 tokens at 28 px, 8×8 at 32 px); above, about
 * 8×8 tokens: the smallest divisor of the size that is at least size/8. Attention costs
 * grow with the square of the token count, so more tokens would not pay on a CPU.
 */
export function defaultPatchSize(inputSize: number): number {
  const target = Math.max(4, Math.ceil(inputSize / 8));
  for (let p = target; p < inputSize; p++) if (inputSize % p === 0) return p;
  return inputSize;
}

function residual(x: tf.SymbolicTensor, branch: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  return tf.layers.add({ name }).apply([x, branch]) as tf.SymbolicTensor;
}

function block(
  x: tf.SymbolicTensor,
  i: number,
  o: { dim: number; heads: number; mlpUnits: number; rate: number; activation: 'gelu' | 'relu'; init: SeededInitializers },
): tf.SymbolicTensor {
  const n = `block${i}`;
  let h = new LayerNorm({ name: `${n}_norm_attention` }).apply(x) as tf.SymbolicTensor;
  h = new SelfAttention({ heads: o.heads, seed: o.init.nextSeed(), name: `${n}_attention` }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dropout({ rate: o.rate, name: `${n}_dropout_attention` }).apply(h) as tf.SymbolicTensor;
  x = residual(x, h, `${n}_residual_attention`);

  h = new LayerNorm({ name: `${n}_norm_mlp` }).apply(x) as tf.SymbolicTensor;
  h = tf.layers
    .dense({ units: o.mlpUnits, activation: o.activation, kernelInitializer: o.init.glorotUniform(), name: `${n}_mlp_hidden` })
    .apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: o.dim, kernelInitializer: o.init.glorotUniform(), name: `${n}_mlp_out` }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dropout({ rate: o.rate, name: `${n}_dropout_mlp` }).apply(h) as tf.SymbolicTensor;
  return residual(x, h, `${n}_residual_mlp`);
}

export function buildSmallVit(options: SmallVitOptions): tf.LayersModel {
  const inputSize = requireInteger('inputSize', options.inputSize, 8, 256);
  const channels = requireInteger('channels', options.channels, 1, 4);
  const numClasses = requireInteger('numClasses', options.numClasses, 2, 100_000);
  const patchSize = requireInteger('patchSize', options.patchSize ?? defaultPatchSize(inputSize), 1, inputSize);
  requireDivisor('patchSize', patchSize, 'inputSize', inputSize);
  const dim = requireInteger('dim', options.dim ?? VIT_DEFAULTS.dim, 4, 1024);
  const depth = requireInteger('depth', options.depth ?? VIT_DEFAULTS.depth, 1, 24);
  const heads = requireInteger('heads', options.heads ?? VIT_DEFAULTS.heads, 1, 64);
  requireDivisor('heads', heads, 'dim', dim);
  const mlpRatio = requireInteger('mlpRatio', options.mlpRatio ?? VIT_DEFAULTS.mlpRatio, 1, 8);
  const rate = requireDropout(options.dropout ?? VIT_DEFAULTS.dropout);
  const activation = requireOneOf('mlpActivation', options.mlpActivation ?? VIT_DEFAULTS.mlpActivation, ['gelu', 'relu'] as const);
  const init = seededInitializers(requireSeed(options.seed));

  const input = tf.input({ shape: [inputSize, inputSize, channels], name: 'image' });
  let x = new PatchEmbedding({ patchSize, dim, seed: init.nextSeed(), name: 'patch_embedding' }).apply(input) as tf.SymbolicTensor;
  x = new PositionEmbedding({ seed: init.nextSeed(), name: 'position_embedding' }).apply(x) as tf.SymbolicTensor;
  for (let i = 1; i <= depth; i++) x = block(x, i, { dim, heads, mlpUnits: dim * mlpRatio, rate, activation, init });
  x = new LayerNorm({ name: 'final_norm' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling1d({ name: 'token_average' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate, name: 'dropout_features' }).apply(x) as tf.SymbolicTensor;
  const output = tf.layers
    .dense({ units: numClasses, activation: 'softmax', kernelInitializer: init.glorotUniform(), name: 'probabilities' })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: 'small_vit' });
}

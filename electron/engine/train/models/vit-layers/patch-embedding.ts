// Patch embedding: a convolution with kernel = stride = patch, computed as one matMul.
// Defined once, in resources/export-example/holdout-layers.js (the comments on its maths
// and speed are there); this module gives it a type. Registered as HoldoutPatchEmbedding.
import { holdoutLayers, type PatchEmbeddingArgs } from './holdout-layers.js';

export type { PatchEmbeddingArgs };
export const PatchEmbedding = holdoutLayers.PatchEmbedding;

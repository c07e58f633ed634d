// Layer normalisation over the last axis, written with broadcasting. TF.js's own
// LayerNormalization tiles gamma and beta to the input's shape, and the gradient of
// Tile was what made a tiny ViT take ~95 s per batch on wasm (PERFORMANCE.md).
// Broadcasting gives the same numbers; its gradient is a plain sum over the batch.
// Defined once, in resources/export-example/holdout-layers.js (the comments on its maths
// and speed are there); this module gives it a type. Registered as HoldoutLayerNorm.
import { holdoutLayers, type LayerNormArgs } from './holdout-layers.js';

export type { LayerNormArgs };
export const LayerNorm = holdoutLayers.LayerNorm;

// A learned position vector per token, added to it.
// Defined once, in resources/export-example/holdout-layers.js (the comments on its maths
// and speed are there); this module gives it a type. Registered as HoldoutPositionEmbedding.
import { holdoutLayers, type PositionEmbeddingArgs } from './holdout-layers.js';

export type { PositionEmbeddingArgs };
export const PositionEmbedding = holdoutLayers.PositionEmbedding;

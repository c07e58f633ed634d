// Multi-head self-attention over tokens [batch, tokens, dim].
// Defined once, in resources/export-example/holdout-layers.js (the comments on its maths
// and speed are there); this module gives it a type. Registered as HoldoutSelfAttention.
import { holdoutLayers, type SelfAttentionArgs } from './holdout-layers.js';

export type { SelfAttentionArgs };
export const SelfAttention = holdoutLayers.SelfAttention;

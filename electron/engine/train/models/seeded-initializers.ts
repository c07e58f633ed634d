// One run seed gives every layer its own, reproducible initial weights. Each layer draws
// a different derived seed: giving every layer the run seed itself would make
// same-shaped kernels start identical, which is a symmetry training must then break.
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../../curation/prng.js';

export type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;

export interface SeededInitializers {
  /** Glorot-uniform (Keras's default kernel initialiser) with the next derived seed. */
  glorotUniform(): Initializer;
  /** Truncated normal with the next derived seed (ViT position embeddings use stddev 0.02). */
  truncatedNormal(stddev: number): Initializer;
  /** The next derived seed, for custom layers that build their own initialisers. */
  nextSeed(): number;
}

export function seededInitializers(seed: number): SeededInitializers {
  const random = mulberry32(seed);
  // TF.js seeds its generator with the number's decimal string; a positive 31-bit
  // integer keeps that string short and exactly the same everywhere.
  const nextSeed = (): number => 1 + Math.floor(random() * 0x7ffffffe);
  return {
    glorotUniform: () => tf.initializers.glorotUniform({ seed: nextSeed() }),
    truncatedNormal: (stddev) => tf.initializers.truncatedNormal({ stddev, seed: nextSeed() }),
    nextSeed,
  };
}

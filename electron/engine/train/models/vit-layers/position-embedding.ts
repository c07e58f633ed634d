// A learned position vector per token, added to the token (broadcast over the batch,
// no tiling). Without it self-attention would not know where in the image a patch was.
import * as tf from '@tensorflow/tfjs';
import { knownSize, singleShape, singleTensor, type Kwargs, type LayerArgs, type Shape } from './layer-types.js';

export interface PositionEmbeddingArgs extends LayerArgs {
  seed: number;
}

export class PositionEmbedding extends tf.layers.Layer {
  static readonly className = 'HoldoutPositionEmbedding';
  private readonly seed: number;
  private embedding: tf.LayerVariable | null = null;

  constructor(args: PositionEmbeddingArgs) {
    super(args);
    this.seed = args.seed;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape, this.name);
    const tokens = knownSize(shape, 1, this.name);
    const dim = knownSize(shape, 2, this.name);
    // The original ViT's choice: small random values, so no position starts out special.
    const init = tf.initializers.truncatedNormal({ stddev: 0.02, seed: this.seed });
    this.embedding = this.addWeight('embedding', [tokens, dim], 'float32', init);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => tf.add(singleTensor(inputs, this.name), this.embedding!.read()));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), seed: this.seed };
  }
}
tf.serialization.registerClass(PositionEmbedding);

// Layer normalisation over the last axis, written with broadcasting. TF.js's own
// LayerNormalization tiles gamma and beta to the input's shape, and the gradient of
// Tile was what made a tiny ViT take ~95 s per batch on wasm (PERFORMANCE.md).
// Broadcasting gives the same numbers; its gradient is a plain sum over the batch.
import * as tf from '@tensorflow/tfjs';
import { knownSize, singleShape, singleTensor, type Kwargs, type LayerArgs, type Shape } from './layer-types.js';

export interface LayerNormArgs extends LayerArgs {
  epsilon?: number;
}

export class LayerNorm extends tf.layers.Layer {
  static readonly className = 'HoldoutLayerNorm';
  private readonly epsilon: number;
  private gamma: tf.LayerVariable | null = null;
  private beta: tf.LayerVariable | null = null;

  constructor(args: LayerNormArgs = {}) {
    super(args);
    this.epsilon = args.epsilon ?? 1e-6;
  }

  override build(inputShape: Shape | Shape[]): void {
    const dim = knownSize(singleShape(inputShape, this.name), -1, this.name);
    this.gamma = this.addWeight('gamma', [dim], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [dim], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = singleTensor(inputs, this.name);
      const mean = tf.mean(x, -1, true);
      const centered = tf.sub(x, mean);
      const variance = tf.mean(tf.square(centered), -1, true);
      const normalized = tf.mul(centered, tf.rsqrt(tf.add(variance, this.epsilon)));
      return tf.add(tf.mul(normalized, this.gamma!.read()), this.beta!.read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}
tf.serialization.registerClass(LayerNorm);

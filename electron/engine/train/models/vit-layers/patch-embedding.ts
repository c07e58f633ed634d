// Cuts the image into patch×patch squares and projects each to a `dim`-long token:
// exactly a convolution with kernel = stride = patch (the kernel is stored in the
// convolution's [p, p, channels, dim] layout), computed as reshape → transpose →
// matrix product. The matrix product needs no convolution gradient, which the wasm
// backend of TF.js 4.22 lacks, and it is one large, fast matMul.
import * as tf from '@tensorflow/tfjs';
import { seededInitializers } from '../seeded-initializers.js';
import { knownSize, singleShape, singleTensor, type Kwargs, type LayerArgs, type Shape } from './layer-types.js';

export interface PatchEmbeddingArgs extends LayerArgs {
  patchSize: number;
  dim: number;
  seed: number;
}

export class PatchEmbedding extends tf.layers.Layer {
  static readonly className = 'HoldoutPatchEmbedding';
  private readonly patchSize: number;
  private readonly dim: number;
  private readonly seed: number;
  private kernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(args: PatchEmbeddingArgs) {
    super(args);
    this.patchSize = args.patchSize;
    this.dim = args.dim;
    this.seed = args.seed;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape, this.name);
    const channels = knownSize(shape, 3, this.name);
    const p = this.patchSize;
    const init = seededInitializers(this.seed);
    this.kernel = this.addWeight('kernel', [p, p, channels, this.dim], 'float32', init.glorotUniform());
    this.bias = this.addWeight('bias', [this.dim], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape, this.name);
    const rows = knownSize(shape, 1, this.name) / this.patchSize;
    const cols = knownSize(shape, 2, this.name) / this.patchSize;
    return [shape[0] ?? null, rows * cols, this.dim];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = singleTensor(inputs, this.name);
      const [n, h, w, c] = x.shape as [number, number, number, number];
      const p = this.patchSize;
      const rows = h / p;
      const cols = w / p;
      // [n, rows, p, cols, p·c] with n·rows merged, then swap the in-patch row with the
      // patch column: every patch's p·p·c values end up contiguous, row by row.
      const split = tf.reshape(x, [n * rows, p, cols, p * c]);
      const patches = tf.reshape(tf.transpose(split, [0, 2, 1, 3]), [n * rows * cols, p * p * c]);
      const kernel = tf.reshape(this.kernel!.read(), [p * p * c, this.dim]);
      const tokens = tf.add(tf.matMul(patches, kernel), this.bias!.read());
      return tf.reshape(tokens, [n, rows * cols, this.dim]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), patchSize: this.patchSize, dim: this.dim, seed: this.seed };
  }
}
tf.serialization.registerClass(PatchEmbedding);

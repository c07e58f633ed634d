// Multi-head self-attention over tokens [batch, tokens, dim] (tfjs-layers 4.22 has
// none). Every product is a plain or batched matMul over reshaped tensors: no Tile, no
// gather, so the gradient stays as cheap as the forward pass on every backend.
import * as tf from '@tensorflow/tfjs';
import { seededInitializers } from '../seeded-initializers.js';
import { knownSize, singleShape, singleTensor, type Kwargs, type LayerArgs, type Shape } from './layer-types.js';

export interface SelfAttentionArgs extends LayerArgs {
  heads: number;
  seed: number;
}

type Projection = { kernel: tf.LayerVariable; bias: tf.LayerVariable };

export class SelfAttention extends tf.layers.Layer {
  static readonly className = 'HoldoutSelfAttention';
  private readonly heads: number;
  private readonly seed: number;
  private projections: { query: Projection; key: Projection; value: Projection; output: Projection } | null = null;

  constructor(args: SelfAttentionArgs) {
    super(args);
    this.heads = args.heads;
    this.seed = args.seed;
  }

  override build(inputShape: Shape | Shape[]): void {
    const dim = knownSize(singleShape(inputShape, this.name), -1, this.name);
    if (dim % this.heads !== 0) throw new Error(`${this.name}: dim ${dim} is not a multiple of heads ${this.heads}`);
    const init = seededInitializers(this.seed);
    const projection = (name: string): Projection => ({
      kernel: this.addWeight(`${name}_kernel`, [dim, dim], 'float32', init.glorotUniform()),
      bias: this.addWeight(`${name}_bias`, [dim], 'float32', tf.initializers.zeros()),
    });
    this.projections = {
      query: projection('query'),
      key: projection('key'),
      value: projection('value'),
      output: projection('output'),
    };
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = singleTensor(inputs, this.name);
      const [n, tokens, dim] = x.shape as [number, number, number];
      const headDim = dim / this.heads;
      const p = this.projections!;
      const flat = tf.reshape(x, [n * tokens, dim]);
      const project = (q: Projection): tf.Tensor2D => tf.add(tf.matMul(flat, q.kernel.read()), q.bias.read());
      // [n·tokens, dim] → [n, heads, tokens, headDim]: each head attends on its own slice.
      const splitHeads = (t: tf.Tensor2D): tf.Tensor4D =>
        tf.transpose(tf.reshape(t, [n, tokens, this.heads, headDim]), [0, 2, 1, 3]);
      // Scaling the queries (not the tokens × tokens scores) is the same maths on fewer numbers.
      const query = splitHeads(tf.mul(project(p.query), 1 / Math.sqrt(headDim)));
      const key = splitHeads(project(p.key));
      const value = splitHeads(project(p.value));
      const weights = tf.softmax(tf.matMul(query, key, false, true)); // [n, heads, tokens, tokens]
      const attended = tf.matMul(weights, value); // [n, heads, tokens, headDim]
      const merged = tf.reshape(tf.transpose(attended, [0, 2, 1, 3]), [n * tokens, dim]);
      const out = tf.add(tf.matMul(merged, p.output.kernel.read()), p.output.bias.read());
      return tf.reshape(out, [n, tokens, dim]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), heads: this.heads, seed: this.seed };
  }
}
tf.serialization.registerClass(SelfAttention);

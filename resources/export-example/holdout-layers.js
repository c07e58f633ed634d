// Holdout's custom TensorFlow.js layers: the ONE definition of the small Vision
// Transformer's layer normalisation, patch embedding, position embedding and
// self-attention. The app trains and loads its ViTs with exactly this file (its engine
// loads it from the app's resources), and every export carries a copy, so an exported
// ViT computes what the app computed.
//
// TF.js 4.22 has no self-attention and no patch embedding, and its own LayerNormalization
// is slow to train on wasm (see below); a model.json that names these classes
// (HoldoutLayerNorm, HoldoutPatchEmbedding, HoldoutPositionEmbedding,
// HoldoutSelfAttention) loads only after they are registered, so call
// defineHoldoutLayers(tf) BEFORE tf.loadLayersModel.
//
//   Browser (a classic script, after tf.min.js):
//     <script src="holdout-layers.js"></script>   then   defineHoldoutLayers(tf)
//   Node (CommonJS; this folder's package.json says "type": "commonjs"):
//     const { defineHoldoutLayers } = require('./holdout-layers.js');  defineHoldoutLayers(tf)
//
// defineHoldoutLayers(tf, options?) defines the four classes on that tf, registers them
// under their class names and returns them. A second call with the same tf returns the
// same classes (registering twice would give two classes one name). options is only for
// building NEW layers: options.kernelInitializers(seed) returns a function giving a layer's
// successive kernel initialisers (Holdout passes its own seeded ones, so a run's seed gives
// the same initial weights as always); loading a saved model replaces every initial weight.
(function (root) {
  'use strict';

  const CLASS_NAMES = ['HoldoutLayerNorm', 'HoldoutPatchEmbedding', 'HoldoutPositionEmbedding', 'HoldoutSelfAttention'];
  const defined = new WeakMap();

  function defineHoldoutLayers(tf, options) {
    if (!tf || !tf.layers || typeof tf.layers.Layer !== 'function' || !tf.serialization) {
      throw new Error('defineHoldoutLayers(tf): pass the TensorFlow.js module (the object with tf.layers and tf.serialization)');
    }
    const known = defined.get(tf);
    if (known) return known;
    const kernelInitializers =
      (options && options.kernelInitializers) ||
      function (seed) {
        // One seed per kernel of the layer, so its projections do not start identical.
        let k = 0;
        return () => tf.initializers.glorotUniform({ seed: seed + k++ });
      };

    // --- shared helpers -------------------------------------------------------------
    /** The one input shape a single-input layer receives (TF.js passes a list for multi-input layers). */
    function singleShape(inputShape, layer) {
      const first = inputShape[0];
      if (Array.isArray(first)) {
        if (inputShape.length !== 1) throw new Error(`${layer} takes one input, got ${inputShape.length}`);
        return first;
      }
      return inputShape;
    }
    function singleTensor(inputs, layer) {
      if (!Array.isArray(inputs)) return inputs;
      if (inputs.length !== 1 || !inputs[0]) throw new Error(`${layer} takes one input, got ${inputs.length}`);
      return inputs[0];
    }
    /** The size of a known axis; a custom layer cannot make weights for an unknown size. */
    function knownSize(shape, axis, layer) {
      const size = shape[axis < 0 ? shape.length + axis : axis];
      if (size == null) throw new Error(`${layer} needs a known size on axis ${axis}, got shape [${shape.join(', ')}]`);
      return size;
    }

    // --- layer normalisation ----------------------------------------------------------
    // Layer normalisation over the last axis, written with broadcasting. TF.js's own
    // LayerNormalization tiles gamma and beta to the input's shape, and the gradient of
    // Tile was what made a tiny ViT take ~95 s per batch on wasm (PERFORMANCE.md).
    // Broadcasting gives the same numbers; its gradient is a plain sum over the batch.
    class LayerNorm extends tf.layers.Layer {
      constructor(args) {
        super(args || {});
        this.epsilon = args && args.epsilon != null ? args.epsilon : 1e-6;
        this.gamma = null;
        this.beta = null;
      }
      build(inputShape) {
        const dim = knownSize(singleShape(inputShape, this.name), -1, this.name);
        this.gamma = this.addWeight('gamma', [dim], 'float32', tf.initializers.ones());
        this.beta = this.addWeight('beta', [dim], 'float32', tf.initializers.zeros());
        this.built = true;
      }
      computeOutputShape(inputShape) {
        return inputShape;
      }
      call(inputs) {
        return tf.tidy(() => {
          const x = singleTensor(inputs, this.name);
          const mean = tf.mean(x, -1, true);
          const centered = tf.sub(x, mean);
          const variance = tf.mean(tf.square(centered), -1, true);
          const normalized = tf.mul(centered, tf.rsqrt(tf.add(variance, this.epsilon)));
          return tf.add(tf.mul(normalized, this.gamma.read()), this.beta.read());
        });
      }
      getConfig() {
        return Object.assign({}, super.getConfig(), { epsilon: this.epsilon });
      }
    }
    LayerNorm.className = 'HoldoutLayerNorm';

    // --- patch embedding --------------------------------------------------------------
    // Cuts the image into patch×patch squares and projects each to a `dim`-long token:
    // exactly a convolution with kernel = stride = patch (the kernel is stored in the
    // convolution's [p, p, channels, dim] layout), computed as reshape → transpose →
    // matrix product. The matrix product needs no convolution gradient, which the wasm
    // backend of TF.js 4.22 lacks, and it is one large, fast matMul.
    class PatchEmbedding extends tf.layers.Layer {
      constructor(args) {
        super(args);
        this.patchSize = args.patchSize;
        this.dim = args.dim;
        this.seed = args.seed;
        this.kernel = null;
        this.bias = null;
      }
      build(inputShape) {
        const shape = singleShape(inputShape, this.name);
        const channels = knownSize(shape, 3, this.name);
        const p = this.patchSize;
        const nextKernel = kernelInitializers(this.seed);
        this.kernel = this.addWeight('kernel', [p, p, channels, this.dim], 'float32', nextKernel());
        this.bias = this.addWeight('bias', [this.dim], 'float32', tf.initializers.zeros());
        this.built = true;
      }
      computeOutputShape(inputShape) {
        const shape = singleShape(inputShape, this.name);
        const rows = knownSize(shape, 1, this.name) / this.patchSize;
        const cols = knownSize(shape, 2, this.name) / this.patchSize;
        return [shape[0] == null ? null : shape[0], rows * cols, this.dim];
      }
      call(inputs) {
        return tf.tidy(() => {
          const x = singleTensor(inputs, this.name);
          const [n, h, w, c] = x.shape;
          const p = this.patchSize;
          const rows = h / p;
          const cols = w / p;
          // [n, rows, p, cols, p·c] with n·rows merged, then swap the in-patch row with the
          // patch column: every patch's p·p·c values end up contiguous, row by row.
          const split = tf.reshape(x, [n * rows, p, cols, p * c]);
          const patches = tf.reshape(tf.transpose(split, [0, 2, 1, 3]), [n * rows * cols, p * p * c]);
          const kernel = tf.reshape(this.kernel.read(), [p * p * c, this.dim]);
          const tokens = tf.add(tf.matMul(patches, kernel), this.bias.read());
          return tf.reshape(tokens, [n, rows * cols, this.dim]);
        });
      }
      getConfig() {
        return Object.assign({}, super.getConfig(), { patchSize: this.patchSize, dim: this.dim, seed: this.seed });
      }
    }
    PatchEmbedding.className = 'HoldoutPatchEmbedding';

    // --- position embedding -----------------------------------------------------------
    // A learned position vector per token, added to the token (broadcast over the batch,
    // no tiling). Without it self-attention would not know where in the image a patch was.
    class PositionEmbedding extends tf.layers.Layer {
      constructor(args) {
        super(args);
        this.seed = args.seed;
        this.embedding = null;
      }
      build(inputShape) {
        const shape = singleShape(inputShape, this.name);
        const tokens = knownSize(shape, 1, this.name);
        const dim = knownSize(shape, 2, this.name);
        // The original ViT's choice: small random values, so no position starts out special.
        const init = tf.initializers.truncatedNormal({ stddev: 0.02, seed: this.seed });
        this.embedding = this.addWeight('embedding', [tokens, dim], 'float32', init);
        this.built = true;
      }
      computeOutputShape(inputShape) {
        return inputShape;
      }
      call(inputs) {
        return tf.tidy(() => tf.add(singleTensor(inputs, this.name), this.embedding.read()));
      }
      getConfig() {
        return Object.assign({}, super.getConfig(), { seed: this.seed });
      }
    }
    PositionEmbedding.className = 'HoldoutPositionEmbedding';

    // --- self-attention ---------------------------------------------------------------
    // Multi-head self-attention over tokens [batch, tokens, dim] (tfjs-layers 4.22 has
    // none). Every product is a plain or batched matMul over reshaped tensors: no Tile, no
    // gather, so the gradient stays as cheap as the forward pass on every backend.
    class SelfAttention extends tf.layers.Layer {
      constructor(args) {
        super(args);
        this.heads = args.heads;
        this.seed = args.seed;
        this.projections = null;
      }
      build(inputShape) {
        const dim = knownSize(singleShape(inputShape, this.name), -1, this.name);
        if (dim % this.heads !== 0) throw new Error(`${this.name}: dim ${dim} is not a multiple of heads ${this.heads}`);
        const nextKernel = kernelInitializers(this.seed);
        // The order query, key, value, output fixes which seed each kernel gets.
        const projection = (name) => ({
          kernel: this.addWeight(`${name}_kernel`, [dim, dim], 'float32', nextKernel()),
          bias: this.addWeight(`${name}_bias`, [dim], 'float32', tf.initializers.zeros()),
        });
        const query = projection('query');
        const key = projection('key');
        const value = projection('value');
        const output = projection('output');
        this.projections = { query, key, value, output };
        this.built = true;
      }
      computeOutputShape(inputShape) {
        return inputShape;
      }
      call(inputs) {
        return tf.tidy(() => {
          const x = singleTensor(inputs, this.name);
          const [n, tokens, dim] = x.shape;
          const headDim = dim / this.heads;
          const p = this.projections;
          const flat = tf.reshape(x, [n * tokens, dim]);
          const project = (q) => tf.add(tf.matMul(flat, q.kernel.read()), q.bias.read());
          // [n·tokens, dim] → [n, heads, tokens, headDim]: each head attends on its own slice.
          const splitHeads = (t) => tf.transpose(tf.reshape(t, [n, tokens, this.heads, headDim]), [0, 2, 1, 3]);
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
      getConfig() {
        return Object.assign({}, super.getConfig(), { heads: this.heads, seed: this.seed });
      }
    }
    SelfAttention.className = 'HoldoutSelfAttention';

    const classes = { LayerNorm, PatchEmbedding, PositionEmbedding, SelfAttention };
    for (const cls of Object.values(classes)) tf.serialization.registerClass(cls);
    defined.set(tf, classes);
    return classes;
  }

  if (typeof module === 'object' && module && module.exports) module.exports = { defineHoldoutLayers, CLASS_NAMES };
  else root.defineHoldoutLayers = defineHoldoutLayers;
})(typeof globalThis !== 'undefined' ? globalThis : this);

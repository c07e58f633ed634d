// Shared pieces of the model tests: a tiny task any model must learn, a training step
// loop over exactly a model's trainable weights, and a MobileNet-shaped toy backbone.
import * as tf from '@tensorflow/tfjs';

/** n images, half bright (0.6–1) and half dark (0–0.4): labels [1,0] and [0,1]. */
export function brightDarkTask(size: number, channels: number, n = 16, seed = 7): { x: tf.Tensor4D; y: tf.Tensor2D } {
  return tf.tidy(() => {
    const half = n / 2;
    const noise = tf.randomUniform([n, size, size, channels], 0, 0.4, 'float32', seed);
    const offset = tf.concat([tf.fill([half, 1, 1, 1], 0.6), tf.zeros([half, 1, 1, 1])]);
    const x = tf.add(noise, offset) as tf.Tensor4D;
    const y = tf.oneHot(tf.tensor1d([...Array(n).keys()].map((i) => (i < half ? 0 : 1)), 'int32'), 2).toFloat() as tf.Tensor2D;
    return { x, y };
  });
}

function crossEntropy(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): tf.Scalar {
  const probs = model.apply(x, { training: true }) as tf.Tensor;
  return tf.losses.softmaxCrossEntropy(y, tf.log(tf.clipByValue(probs, 1e-7, 1))) as tf.Scalar;
}

/** Adam on the model's trainable weights only; returns the loss before each step. */
export async function trainSteps(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, steps: number, learningRate = 0.01): Promise<number[]> {
  const optimizer = tf.train.adam(learningRate);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const loss = optimizer.minimize(() => crossEntropy(model, x, y), true, vars)!;
    losses.push((await loss.data())[0]!);
    loss.dispose();
  }
  optimizer.dispose();
  return losses;
}

/** The model's loss on (x, y) in inference mode. */
export function inferenceLoss(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): number {
  return tf.tidy(() => {
    const probs = model.predict(x) as tf.Tensor;
    return tf.losses.softmaxCrossEntropy(y, tf.log(tf.clipByValue(probs, 1e-7, 1))).dataSync()[0]!;
  });
}

export function weightValues(model: tf.LayersModel): Map<string, Float32Array> {
  return new Map(model.weights.map((w) => [w.name, w.read().dataSync() as Float32Array]));
}

export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

/**
 * A MobileNetV2-shaped toy with Keras's layer names: a stem (Conv1), three inverted
 * residual blocks named block_<n>_*, then Conv_1 / Conv_1_bn / out_relu and its own
 * classifier on top (so the feature layer is not the output).
 */
export function tinyMobileNet(inputSize = 16, seed = 1): tf.LayersModel {
  let nextSeed = seed;
  const kernelInitializer = () => tf.initializers.glorotUniform({ seed: nextSeed++ });
  const input = tf.input({ shape: [inputSize, inputSize, 3], name: 'input_1' });
  const relu6 = (name: string) => tf.layers.reLU({ maxValue: 6, name });
  const bn = (name: string) => tf.layers.batchNormalization({ name, momentum: 0.9 });
  let x = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', useBias: false, kernelInitializer: kernelInitializer(), name: 'Conv1' }).apply(input) as tf.SymbolicTensor;
  x = relu6('Conv1_relu').apply(bn('bn_Conv1').apply(x)) as tf.SymbolicTensor;
  for (let n = 1; n <= 3; n++) {
    const p = `block_${n}_`;
    let h = tf.layers.conv2d({ filters: 16, kernelSize: 1, useBias: false, kernelInitializer: kernelInitializer(), name: `${p}expand` }).apply(x) as tf.SymbolicTensor;
    h = relu6(`${p}expand_relu`).apply(bn(`${p}expand_BN`).apply(h)) as tf.SymbolicTensor;
    h = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false, depthwiseInitializer: kernelInitializer(), name: `${p}depthwise` }).apply(h) as tf.SymbolicTensor;
    h = relu6(`${p}depthwise_relu`).apply(bn(`${p}depthwise_BN`).apply(h)) as tf.SymbolicTensor;
    h = tf.layers.conv2d({ filters: 8, kernelSize: 1, useBias: false, kernelInitializer: kernelInitializer(), name: `${p}project` }).apply(h) as tf.SymbolicTensor;
    h = bn(`${p}project_BN`).apply(h) as tf.SymbolicTensor;
    x = tf.layers.add({ name: `${p}add` }).apply([x, h]) as tf.SymbolicTensor;
  }
  x = tf.layers.conv2d({ filters: 32, kernelSize: 1, useBias: false, kernelInitializer: kernelInitializer(), name: 'Conv_1' }).apply(x) as tf.SymbolicTensor;
  x = relu6('out_relu').apply(bn('Conv_1_bn').apply(x)) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({ name: 'global_average_pooling2d' }).apply(x);
  const out = tf.layers.dense({ units: 5, activation: 'softmax', kernelInitializer: kernelInitializer(), name: 'predictions' }).apply(pooled) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'tiny_mobilenet' });
}

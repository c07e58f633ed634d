// A small CNN trained from scratch: the model that wins on small greyscale images
// (PERFORMANCE.md: 85% on 2,000 Fashion-MNIST images, where frozen photo features reach 80%).
//
//   conv(w) → pool → conv(2w) → pool → flatten → dropout → dense128 → dropout → softmax
//
// Above 64 px a third block conv(4w) → pool is added and the feature map is averaged
// (global average pooling) instead of flattened. Flattening after two poolings at
// 224 px would feed 56·56·64 ≈ 200,000 values into the dense layer, 25.7 M weights:
// slow, and with a few hundred photos per class it would memorise them. Averaging
// leaves 4w values whatever the input size, so the dense layer stays at 4w·128.
import * as tf from '@tensorflow/tfjs';
import { seededInitializers } from './seeded-initializers.js';
import { requireDropout, requireInteger, requireSeed } from './validate-options.js';

export interface SmallCnnOptions {
  /** Side of the square input in pixels (8 … 512). */
  inputSize: number;
  /** 1 for greyscale, 3 for colour. */
  channels: number;
  numClasses: number;
  /** Dropout rate, 0 … 0.9. Default 0.3. */
  dropout?: number;
  seed: number;
  /** Filters of the first convolution; later blocks double it. Default 32. */
  width?: number;
}

/** Inputs up to this size are flattened after two blocks; larger ones get a third block and global pooling. */
export const SMALL_CNN_FLATTEN_MAX_SIZE = 64;
const DENSE_UNITS = 128;

export function buildSmallCnn(options: SmallCnnOptions): tf.LayersModel {
  const inputSize = requireInteger('inputSize', options.inputSize, 8, 512);
  const channels = requireInteger('channels', options.channels, 1, 4);
  const numClasses = requireInteger('numClasses', options.numClasses, 2, 100_000);
  const rate = requireDropout(options.dropout ?? 0.3);
  const width = requireInteger('width', options.width ?? 32, 4, 256);
  const init = seededInitializers(requireSeed(options.seed));

  const input = tf.input({ shape: [inputSize, inputSize, channels], name: 'image' });
  const block = (x: tf.SymbolicTensor, filters: number, n: number): tf.SymbolicTensor => {
    const conv = tf.layers.conv2d({
      filters,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: init.glorotUniform(),
      name: `conv${n}`,
    });
    return tf.layers.maxPooling2d({ poolSize: 2, name: `pool${n}` }).apply(conv.apply(x)) as tf.SymbolicTensor;
  };

  let x = block(input, width, 1);
  x = block(x, width * 2, 2);
  const large = inputSize > SMALL_CNN_FLATTEN_MAX_SIZE;
  if (large) x = block(x, width * 4, 3);
  x = (large
    ? tf.layers.globalAveragePooling2d({ name: 'global_pool' })
    : tf.layers.flatten({ name: 'flatten' })
  ).apply(x) as tf.SymbolicTensor;
  // After flattening (the same thing as dropout on the map, element for element) or
  // after averaging (dropping single pixels of a map that is averaged away does little).
  x = tf.layers.dropout({ rate, name: 'dropout_features' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers
    .dense({ units: DENSE_UNITS, activation: 'relu', kernelInitializer: init.glorotUniform(), name: 'dense_hidden' })
    .apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate, name: 'dropout_hidden' }).apply(x) as tf.SymbolicTensor;
  const output = tf.layers
    .dense({ units: numClasses, activation: 'softmax', kernelInitializer: init.glorotUniform(), name: 'probabilities' })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: 'small_cnn' });
}

// Conv2DBackpropInput through XNNPACK. The stock wasm kernel is a plain C++ loop;
// the input gradient is a stride-1 convolution of dy (with stride−1 zeros inserted
// between its pixels) and the spatially flipped filter with in/out channels swapped.
// NCHW goes to the stock kernel.
import * as tf from '@tensorflow/tfjs';
import { withScope, type TensorInfo } from './kernel-scope.js';
import { cropLeading, cropSpatial, dilateSpatial, explicitPad } from './spatial-ops.js';

export function makeConv2DBackpropInputKernel(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
    if (dataFormat === 'NCHW') return stock(args);
    const info = tf.backend_util.computeConv2DInfo(
      inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
    const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
    const { top, left } = info.padInfo;
    const [, h, w] = inputShape;
    const padTop = fh - 1 - top;
    const padLeft = fw - 1 - left;

    return withScope(backend, (scope) => {
      const dilated = cropLeading(scope, dilateSpatial(scope, dy, [sh, sw]), padTop, padLeft); // [N, ≤OH·sh, ≤OW·sw, OC]
      const flipped = scope.run('Reverse', { x: filter }, { dims: [0, 1] });
      const swapped = scope.transpose(flipped, [0, 1, 3, 2]); // [FH,FW,OC,C]
      // The dilated dy ends in stride−1 zero rows; padding is whatever makes the
      // output H×W, and a negative amount means cropping the surplus instead.
      const bottom = h + top - oh * sh;
      const right = w + left - ow * sw;
      const dx = scope.run('Conv2D', { x: dilated, filter: swapped }, {
        strides: [1, 1],
        pad: explicitPad(Math.max(0, padTop), Math.max(0, bottom), Math.max(0, padLeft), Math.max(0, right)),
        dataFormat: 'NHWC',
        dilations: [1, 1],
      });
      return cropSpatial(scope, dx, h, w);
    });
  };
}

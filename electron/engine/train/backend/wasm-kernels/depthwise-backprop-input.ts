// DepthwiseConv2dNativeBackpropInput for the wasm backend (missing there, so
// MobileNet-style models cannot train). The input gradient is a depthwise
// convolution of dy (stride−1 zeros inserted between its pixels) with the spatially
// flipped filter; with a channel multiplier M, dy's C·M channels are convolved one
// by one and each group of M is summed back into its input channel.
import * as tf from '@tensorflow/tfjs';
import { withScope, type KernelScope, type TensorInfo } from './kernel-scope.js';
import { cropLeading, cropSpatial, dilateSpatial, explicitPad, pair } from './spatial-ops.js';

export const depthwiseBackpropInputKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, inputShape } =
    attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  return withScope(backend, (scope) =>
    depthwiseInputGradient(scope, dy, filter, { strides, dilations, pad, dimRoundingMode, inputShape }));
};

export interface DepthwiseInputGeometry {
  strides: [number, number] | number;
  dilations?: [number, number] | number;
  pad: tf.DepthwiseConv2dNativeBackpropInputAttrs['pad'];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/** The gradient of a depthwise convolution with respect to its input; reused by MaxPoolGrad. */
export function depthwiseInputGradient(
  scope: KernelScope, dy: TensorInfo, filter: TensorInfo, geometry: DepthwiseInputGeometry,
): TensorInfo {
  const [dh, dw] = pair(geometry.dilations);
  if (dh !== 1 || dw !== 1) throw new Error('wasm DepthwiseConv2dNativeBackpropInput supports dilations of 1 only');
  const { inputShape } = geometry;
  const info = tf.backend_util.computeConv2DInfo(
    inputShape, filter.shape as [number, number, number, number], geometry.strides, 1, geometry.pad,
    geometry.dimRoundingMode, true);
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
  const { top, left } = info.padInfo;
  const [n, h, w, c] = inputShape;
  const m = filter.shape[3] as number;
  const padTop = fh - 1 - top;
  const padLeft = fw - 1 - left;

  const dilated = cropLeading(scope, dilateSpatial(scope, dy, [sh, sw]), padTop, padLeft); // [N, ≤OH·sh, ≤OW·sw, C·M]
  const flipped = scope.run('Reverse', { x: filter }, { dims: [0, 1] });
  const perChannel = scope.reshape(flipped, [fh, fw, c * m, 1]);
  const bottom = h + top - oh * sh;
  const right = w + left - ow * sw;
  const spread = scope.run('DepthwiseConv2dNative', { x: dilated, filter: perChannel }, {
    strides: [1, 1],
    pad: explicitPad(Math.max(0, padTop), Math.max(0, bottom), Math.max(0, padLeft), Math.max(0, right)),
    dilations: [1, 1],
  }); // [N, H', W', C·M]
  const cropped = cropSpatial(scope, spread, h, w);
  if (m === 1) return cropped;
  const grouped = scope.reshape(cropped, [n, h, w, c, m]);
  return scope.run('Sum', { x: grouped }, { axis: [4], keepDims: false });
}

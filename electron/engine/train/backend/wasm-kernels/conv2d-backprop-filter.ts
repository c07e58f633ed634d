// Conv2DBackpropFilter for the wasm backend, which has none (so no CNN can train).
// The filter gradient is itself a convolution, run by XNNPACK:
//   dW[fh,fw,c,oc] = Σ_{n,oh,ow} x[n, oh·s+fh−pt, ow·s+fw−pl, c] · dy[n,oh,ow,oc]
// Read x as an image batch of C images with N channels ([C,H,W,N]) and dy as a filter
// of size OH×OW with N inputs and OC outputs ([OH,OW,N,OC]), dilated by the forward
// stride: the convolution's output [C,FH,FW,OC] is dW with its axes rotated.
// With few input channels a patch product wins instead (conv2d-filter-im2col.ts).
import * as tf from '@tensorflow/tfjs';
import { withScope, type KernelScope, type TensorInfo } from './kernel-scope.js';
import { filterGradientOverPatches, IM2COL_MAX_IN_CHANNELS } from './conv2d-filter-im2col.js';
import { cropSpatial, explicitPad } from './spatial-ops.js';

export const conv2DBackpropFilterKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (dataFormat === 'NCHW') throw new Error("wasm Conv2DBackpropFilter supports dataFormat 'NHWC' only");
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode);
  return withScope(backend, (scope) => filterGradientPath(info.inChannels) === 'patches'
    ? filterGradientOverPatches(scope, x, dy, info)
    : filterGradientAsConvolution(scope, x, dy, info));
};

/** Which composition computes the filter gradient for this many input channels (measured, see the files). */
export function filterGradientPath(inChannels: number): 'patches' | 'convolution' {
  return inChannels <= IM2COL_MAX_IN_CHANNELS ? 'patches' : 'convolution';
}

/** [FH,FW,C,OC]: dW as one convolution of x read as [C,H,W,N] with dy read as an [OH,OW,N,OC] filter. */
export function filterGradientAsConvolution(
  scope: KernelScope, x: TensorInfo, dy: TensorInfo, info: tf.backend_util.Conv2DInfo,
): TensorInfo {
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
  const { top, left } = info.padInfo;
  const [, h, w] = x.shape as [number, number, number, number];
  const xT = scope.transpose(x, [3, 1, 2, 0]); // [C,H,W,N]
  const dyT = scope.transpose(dy, [1, 2, 0, 3]); // [OH,OW,N,OC]
  // Bottom/right padding that makes the output exactly FH×FW; when negative the
  // last input rows touch no filter tap, so pad nothing and crop the surplus.
  const bottom = fh + (oh - 1) * sh - h - top;
  const right = fw + (ow - 1) * sw - w - left;
  const grad = scope.run('Conv2D', { x: xT, filter: dyT }, {
    strides: [1, 1],
    pad: explicitPad(top, Math.max(0, bottom), left, Math.max(0, right)),
    dataFormat: 'NHWC',
    dilations: [sh, sw],
  }); // [C,FH',FW',OC]
  const cropped = cropSpatial(scope, grad, fh, fw);
  return scope.transpose(cropped, [1, 2, 0, 3]); // [FH,FW,C,OC]
}

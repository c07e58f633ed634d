// DepthwiseConv2dNativeBackpropFilter for the wasm backend (missing there).
//   dW[fh,fw,c,m] = Σ_{n,oh,ow} x[n, oh·s+fh−pt, ow·s+fw−pl, c] · dy[n,oh,ow,c·M+m]
// Read x as ONE image with N·C channels and dy as a depthwise filter of size OH×OW
// over those N·C channels (multiplier M), dilated by the forward stride: a single
// depthwise convolution yields [FH,FW,N·C·M], and summing over N gives dW.
import * as tf from '@tensorflow/tfjs';
import { withScope, type TensorInfo } from './kernel-scope.js';
import { cropSpatial, explicitPad, pair } from './spatial-ops.js';

export const depthwiseBackpropFilterKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, filterShape } =
    attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const [dh, dw] = pair(dilations);
  if (dh !== 1 || dw !== 1) throw new Error('wasm DepthwiseConv2dNativeBackpropFilter supports dilations of 1 only');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, true);
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
  const { top, left } = info.padInfo;
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const m = filterShape[3];

  return withScope(backend, (scope) => {
    const image = scope.reshape(scope.transpose(x, [1, 2, 0, 3]), [1, h, w, n * c]); // channel n·C+c
    const kernel = scope.reshape(scope.transpose(dy, [1, 2, 0, 3]), [oh, ow, n * c, m]);
    const bottom = fh + (oh - 1) * sh - h - top;
    const right = fw + (ow - 1) * sw - w - left;
    const perImage = scope.run('DepthwiseConv2dNative', { x: image, filter: kernel }, {
      strides: [1, 1],
      pad: explicitPad(top, Math.max(0, bottom), left, Math.max(0, right)),
      dilations: [sh, sw],
    }); // [1, FH', FW', N·C·M], channel (n·C+c)·M+m
    const cropped = cropSpatial(scope, perImage, fh, fw);
    if (n === 1) return scope.reshape(cropped, [fh, fw, c, m]);
    const byImage = scope.reshape(cropped, [fh * fw, n, c * m]);
    const summed = scope.run('Sum', { x: byImage }, { axis: [1], keepDims: false });
    return scope.reshape(summed, [fh, fw, c, m]);
  });
};

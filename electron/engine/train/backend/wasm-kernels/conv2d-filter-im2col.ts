// The filter gradient of a convolution with few input channels (greyscale or colour
// first layers) as one matrix product over image patches:
//   dW[c·KK + tap, oc] = Σ_m P[m, c·KK + tap] · dy[m, oc]   (m runs over N·OH·OW)
// P, the patches, comes from a depthwise convolution with a one-hot selector filter
// (each tap of each channel copied into its own output channel), so XNNPACK does the
// gather. Why not the convolution form of conv2d-backprop-filter.ts: there dy is the
// filter, and XNNPACK packs a fresh filter on every call; with one input channel that
// packing of an OH×OW×N×OC filter costs far more than the arithmetic (measured 2.4×
// slower for the small CNN's first layer). Here the packed operand is dy as an
// [N·OH·OW, OC] matrix, packed once by the product that also does the work.
import * as tf from '@tensorflow/tfjs';
import type { KernelScope, TensorInfo } from './kernel-scope.js';
import { tapSelectorFilter } from './spatial-ops.js';

/**
 * Input channels up to which the patch path is used. Measured (fresh dy each call, loaded
 * machine, convolution ÷ patches time): 2.1–2.4× at 1 channel, 1.2–1.6× at 3–4, 1.4× at 8,
 * 0.56× at 16 and 0.59× at 32: kept where it wins clearly.
 */
export const IM2COL_MAX_IN_CHANNELS = 4;

/** [FH,FW,C,OC] filter gradient of a stride-any, dilation-1 NHWC convolution. */
export function filterGradientOverPatches(
  scope: KernelScope, x: TensorInfo, dy: TensorInfo, info: tf.backend_util.Conv2DInfo,
): TensorInfo {
  const { inChannels: c, outChannels: oc, filterHeight: kh, filterWidth: kw, outHeight: oh, outWidth: ow, batchSize: n } = info;
  const { top, bottom, left, right } = info.padInfo;
  const kk = kh * kw;
  const rows = n * oh * ow;
  // Channels become images ([C·N,H,W,1]) so that each channel's patches are a block of
  // KK columns: the transposes below then move KK-wide rows, which the wasm Transpose
  // does fast (a C·KK-wide one is several times slower).
  const planes = c === 1 ? x : scope.reshape(scope.transpose(x, [3, 0, 1, 2]), [c * n, info.inHeight, info.inWidth, 1]);
  const selector = scope.constant(tapSelectorFilter(kh, kw, 1), [kh, kw, 1, kk]);
  const patches = scope.run('DepthwiseConv2dNative', { x: planes, filter: selector }, {
    strides: [info.strideHeight, info.strideWidth],
    pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
    dilations: [1, 1],
  }); // [C·N, OH, OW, KK]
  if (patches.shape[1] !== oh || patches.shape[2] !== ow) {
    throw new Error(`wasm Conv2DBackpropFilter: patch layout ${patches.shape[1]}×${patches.shape[2]} does not match the convolution's ${oh}×${ow}`);
  }
  // BatchMatMul stays on XNNPACK only without transpose flags: transpose the patches
  // explicitly (KK-wide rows: a cheap pass) rather than dy (OC-wide).
  const patchesT = scope.transpose(scope.reshape(patches, [c, rows, kk]), [0, 2, 1]); // [C, KK, M]
  const product = scope.run('BatchMatMul', {
    a: scope.reshape(patchesT, [1, c * kk, rows]),
    b: scope.reshape(dy, [1, rows, oc]),
  }, { transposeA: false, transposeB: false }); // [1, C·KK, OC]
  const byChannel = scope.reshape(product, [c, kh, kw, oc]);
  return c === 1 ? scope.reshape(byChannel, [kh, kw, 1, oc]) : scope.transpose(byChannel, [1, 2, 0, 3]);
}

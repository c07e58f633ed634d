// MaxPoolGrad for the wasm backend. The stock kernel starts each window's running
// maximum at FLT_MIN (the smallest POSITIVE float), so a window whose values are all
// ≤ 0 sends its gradient to the wrong pixel; it also breaks ties towards the last
// maximum. Pooling after anything but ReLU then trains on wrong gradients.
// Each window's gradient goes to its FIRST maximum in row-major order (the CPU
// backend's rule). Only XNNPACK-fast passes are used where it matters: the backend's
// comparison kernels, Slice and inner-axis broadcasts are 10–300× slower, and a
// matrix product whose large operand changes every call pays for packing it.
import * as tf from '@tensorflow/tfjs';
import { withScope, type KernelScope, type TensorInfo } from './kernel-scope.js';
import { depthwiseInputGradient } from './depthwise-backprop-input.js';
import { tapSelectorFilter } from './spatial-ops.js';

// Padding must never win a window; −FLT_MAX (finite, so that 0·pad stays 0 in the
// patch-extracting convolution) loses to every real value but −∞.
const LOWEST_FLOAT = -3.4028234663852886e38;

export const maxPoolGradKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, input, output } = inputs as { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  return withScope(backend, (scope) =>
    windowsTile(info) ? gradientOverTiles(scope, input, output, dy, info) : gradientOverPatches(scope, input, dy, info));
};

/** Stride equal to the window: the windows tile a (cropped or padded) copy of the input. */
function windowsTile(info: tf.backend_util.Conv2DInfo): boolean {
  return info.strideHeight === info.filterHeight && info.strideWidth === info.filterWidth;
}

/**
 * Windows laid out tap-major, [KK, M] (M = N·OH·OW·C), with each window's maximum
 * y as [1, M]: returns the gradient in the same layout, dy at each window's first
 * maximum and 0 elsewhere. Everything is an XNNPACK pass over [KK, M] read as an
 * image of height KK and M channels: max pooling down the taps gives, per tap, the
 * largest value so far; "not reached yet" (that prefix maximum still below y) is
 * 1,…,1,0,…,0 down the taps, and the first maximum is where it drops, found by
 * comparing it with itself one tap earlier (a 2-tall max pool over it, padded with a
 * 1 on top: for a falling sequence the max of a tap and its predecessor is the
 * predecessor). The equality tests are exact: y is the maximum of these very values.
 */
function routeTapMajor(scope: KernelScope, taps: TensorInfo, y: TensorInfo, dy: TensorInfo): TensorInfo {
  const [kk, m] = taps.shape as [number, number];
  const prefixMax = scope.run('MaxPool', { x: scope.reshape(taps, [1, kk, 1, m]) }, {
    filterSize: [kk, 1], strides: [1, 1], pad: [[0, 0], [kk - 1, 0], [0, 0], [0, 0]], dimRoundingMode: undefined,
  }); // [1, KK, 1, M]
  const notReached = scope.run('Step', {
    x: scope.run('Sub', { a: scope.reshape(y, [1, 1, 1, m]), b: prefixMax }),
  }, { alpha: 0 });
  const withOne = scope.run('PadV2', { x: notReached }, { paddings: [[0, 0], [1, 0], [0, 0], [0, 0]], constantValue: 1 });
  const notReachedBefore = scope.run('MaxPool', { x: withOne }, {
    filterSize: [2, 1], strides: [1, 1], pad: 'valid', dimRoundingMode: undefined,
  }); // [1, KK, 1, M]
  const first = scope.run('Sub', { a: notReachedBefore, b: notReached });
  return scope.reshape(scope.run('Multiply', { a: first, b: scope.reshape(dy, [1, 1, 1, m]) }), [kk, m]);
}

// Tiling windows are a pure rearrangement: [N·OH, kh, OW, kw·C] ↔ [kh, kw, N·OH·OW, C].
function gradientOverTiles(
  scope: KernelScope, x: TensorInfo, y: TensorInfo, dy: TensorInfo, info: tf.backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize: n, inChannels: c, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: kh, filterWidth: kw } = info;
  const { top, left } = info.padInfo;
  // Rows [−top, OH·kh − top) of x: crop what no window reads, pad what windows overhang.
  const keepH = Math.min(h, oh * kh - top);
  const keepW = Math.min(w, ow * kw - left);
  const cropped = keepH === h && keepW === w ? x
    : scope.run('Slice', { x }, { begin: [0, 0, 0, 0], size: [n, keepH, keepW, c] });
  const padBottom = oh * kh - top - keepH;
  const padRight = ow * kw - left - keepW;
  const tiled = top + left + padBottom + padRight === 0 ? cropped : scope.run('PadV2', { x: cropped }, {
    paddings: [[0, 0], [top, padBottom], [left, padRight], [0, 0]],
    constantValue: LOWEST_FLOAT,
  });

  const tapRows = scope.transpose(scope.reshape(tiled, [n * oh, kh, ow, kw * c]), [1, 0, 2, 3]);
  const taps = scope.transpose(scope.reshape(tapRows, [kh, n * oh * ow, kw, c]), [0, 2, 1, 3]);
  const routed = routeTapMajor(scope, scope.reshape(taps, [kh * kw, n * oh * ow * c]), y, dy);
  const backRows = scope.transpose(scope.reshape(routed, [kh, kw, n * oh * ow, c]), [0, 2, 1, 3]);
  const back = scope.reshape(scope.transpose(scope.reshape(backRows, [kh, n * oh, ow, kw * c]), [1, 0, 2, 3]),
    [n, oh * kh, ow * kw, c]);

  // Undo the alignment: drop the overhang, put zeros where x had unread rows.
  const unpadded = top + left + padBottom + padRight === 0 ? back
    : scope.run('Slice', { x: back }, { begin: [0, top, left, 0], size: [n, keepH, keepW, c] });
  if (keepH === h && keepW === w) return unpadded;
  return scope.run('PadV2', { x: unpadded }, {
    paddings: [[0, 0], [0, h - keepH], [0, w - keepW], [0, 0]],
    constantValue: 0,
  });
}

/** [M, KK] windows as rows: dy at each row's first maximum (ArgMax keeps the first), 0 elsewhere. */
function routeWindowRows(scope: KernelScope, windows: TensorInfo, dy: TensorInfo): TensorInfo {
  const [rows, kk] = windows.shape as [number, number];
  const winner = scope.run('ArgMax', { x: windows }, { axis: 1 });
  // The wasm OneHot writes int32 bits whatever dtype it is asked for, so ask for
  // int32 and convert.
  const oneHot = scope.run('OneHot', { indices: winner }, { depth: kk, onValue: 1, offValue: 0, dtype: 'int32' });
  const mask = scope.run('Cast', { x: oneHot }, { dtype: 'float32' });
  return scope.run('Multiply', { a: mask, b: scope.reshape(dy, [rows, 1]) });
}

// Overlapping or padded windows: a depthwise convolution with a one-hot "selector"
// filter copies each window into channels (C·KK), and the same convolution's input
// gradient puts the routed values back, adding where windows overlap.
function gradientOverPatches(scope: KernelScope, x: TensorInfo, dy: TensorInfo, info: tf.backend_util.Conv2DInfo): TensorInfo {
  const { batchSize: n, inChannels: c, outHeight: oh, outWidth: ow, filterHeight: kh, filterWidth: kw } = info;
  const { top, bottom, left, right } = info.padInfo;
  const kk = kh * kw;
  const selector = scope.constant(tapSelectorFilter(kh, kw, c), [kh, kw, c, kk]);
  const padded = top + bottom + left + right === 0 ? x : scope.run('PadV2', { x }, {
    paddings: [[0, 0], [top, bottom], [left, right], [0, 0]],
    constantValue: LOWEST_FLOAT,
  });
  const patches = scope.run('DepthwiseConv2dNative', { x: padded, filter: selector }, {
    strides: [info.strideHeight, info.strideWidth], pad: 'valid', dilations: [1, 1],
  });
  if (patches.shape[1] !== oh || patches.shape[2] !== ow) {
    throw new Error(`wasm MaxPoolGrad: window layout ${patches.shape[1]}×${patches.shape[2]} does not match the pool's ${oh}×${ow}`);
  }
  const routed = routeWindowRows(scope, scope.reshape(patches, [n * oh * ow * c, kk]), dy);
  return depthwiseInputGradient(scope, scope.reshape(routed, [n, oh, ow, c * kk]), selector, {
    strides: [info.strideHeight, info.strideWidth],
    pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
    inputShape: [n, info.inHeight, info.inWidth, c],
  });
}

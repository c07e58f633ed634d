// Spatial rearrangements shared by the convolution gradients, each one stock wasm
// kernel (XNNPACK's constant pad, the backend's Slice) instead of a JavaScript loop.
import * as tf from '@tensorflow/tfjs';
import type { KernelScope, TensorInfo } from './kernel-scope.js';

export type Pair = [number, number];

/** Explicit padding for Conv2D / DepthwiseConv2dNative: [[0,0],[top,bottom],[left,right],[0,0]]. */
export function explicitPad(top: number, bottom: number, left: number, right: number): tf.backend_util.ExplicitPadding {
  return [[0, 0], [top, bottom], [left, right], [0, 0]];
}

/**
 * Inserts stride−1 zeros after every row and column of an NHWC tensor:
 * [N,H,W,C] → [N,H·sh,W·sw,C], value (h,w) landing at (h·sh, w·sw). This turns a
 * strided convolution's gradient into a stride-1 convolution. One 6-D pad.
 */
export function dilateSpatial(scope: KernelScope, x: TensorInfo, [sh, sw]: Pair): TensorInfo {
  if (sh === 1 && sw === 1) return x;
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const x6 = scope.reshape(x, [n, h, 1, w, 1, c]);
  const padded = scope.run('PadV2', { x: x6 }, {
    paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]],
    constantValue: 0,
  });
  return scope.reshape(padded, [n, h * sh, w * sw, c]);
}

/**
 * Keeps rows [top, top+h) and columns [left, left+w) of axes 1 and 2 of a rank-4
 * tensor (no-op when that is all of it). The wasm Slice copies its whole input, so
 * callers use it only on small tensors or rare geometries.
 */
export function cropSpatial(scope: KernelScope, x: TensorInfo, h: number, w: number, top = 0, left = 0): TensorInfo {
  const [a, xh, xw, d] = x.shape as [number, number, number, number];
  if (xh === h && xw === w && top === 0 && left === 0) return x;
  return scope.run('Slice', { x }, { begin: [0, top, left, 0], size: [a, h, w, d] });
}

/**
 * For a transposed convolution's leading padding fh−1−top: when explicit padding
 * exceeds the filter it is negative, and the first rows of (dilated) dy only reach
 * input rows above the image — drop them instead of padding.
 */
export function cropLeading(scope: KernelScope, x: TensorInfo, padTop: number, padLeft: number): TensorInfo {
  if (padTop >= 0 && padLeft >= 0) return x;
  const [, h, w] = x.shape as [number, number, number, number];
  const top = Math.max(0, -padTop);
  const left = Math.max(0, -padLeft);
  return cropSpatial(scope, x, h - top, w - left, top, left);
}

/** Normalises a stride/dilation attribute (number or pair) to a pair. */
export function pair(v: unknown, fallback = 1): Pair {
  if (v == null) return [fallback, fallback];
  if (typeof v === 'number') return [v, v];
  const [a, b] = v as number[];
  return [a ?? fallback, b ?? a ?? fallback];
}

/**
 * A depthwise filter [kh,kw,C,kh·kw] that copies every tap of a window into a channel
 * of its own: output channel c·kh·kw + tap (row-major tap index) holds x at that tap.
 */
export function tapSelectorFilter(kh: number, kw: number, c: number): Float32Array {
  const kk = kh * kw;
  const values = new Float32Array(kk * c * kk);
  for (let tap = 0; tap < kk; tap++) {
    for (let ch = 0; ch < c; ch++) values[(tap * c + ch) * kk + tap] = 1;
  }
  return values;
}

// Matrix products on XNNPACK for BatchMatMul's batched cases, each a few stock wasm
// kernels. The stock kernel runs any batched product (and any product with a
// transpose flag) in a naive C++ loop; a Vision Transformer's attention is made of
// exactly those: per block, Q·Kᵀ and A·V and their four gradient products, each over
// batch·heads matrices of 49×16×49 (28 px images, 7×7 tokens).
import type { KernelScope, TensorInfo } from './kernel-scope.js';

/** A rank-3 operand as stored, and whether the product reads it transposed. */
export interface Operand {
  t: TensorInfo;
  transposed: boolean;
}

/** Rows and columns of the matrix the product reads from `o` ([batch, rows, cols] as stored). */
function dims({ t, transposed }: Operand): [rows: number, cols: number] {
  const [, r, c] = t.shape as [number, number, number];
  return transposed ? [c, r] : [r, c];
}

/** One plain matrix product [1,m,k]·[1,k,n] on the stock kernel, which gives it to XNNPACK. */
export function plainProduct(scope: KernelScope, a: TensorInfo, b: TensorInfo): TensorInfo {
  return scope.run('BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
}

/** `o` (batch 1) as the [1, rows, cols] matrix the product reads, transposed in one pass if flagged. */
export function asMatrix(scope: KernelScope, o: Operand): TensorInfo {
  const [r, c] = o.t.shape.slice(-2) as [number, number];
  const m = scope.reshape(o.t, [r, c]);
  return o.transposed ? scope.reshape(scope.transpose(m, [1, 0]), [1, c, r]) : scope.reshape(m, [1, r, c]);
}

/**
 * C[i] = A[i]·B[i] for i < batch, as ONE grouped convolution: XNNPACK's depthwise
 * convolution with a channel multiplier is a grouped GEMM. The batch becomes the
 * channels (groups), the rows of A the output pixels along the height, a 1×K filter
 * with stride K along the width reads row m of A (laid out as [M, K, batch]) and the
 * filter's K×N taps of group i are B[i]: y[m, i·N+n] = Σ_k A[i,m,k]·B[i,k,n].
 * Three transposes bring the layouts in and out; they move batch·(MK+KN+MN) numbers,
 * the product does batch·M·K·N multiply-adds. The same product can be computed as
 * Cᵀ = Bᵀ·Aᵀ, with other transposes: the cheaper orientation is taken.
 */
export function groupedProduct(scope: KernelScope, a: Operand, b: Operand): TensorInfo {
  const flip = (o: Operand): Operand => ({ t: o.t, transposed: !o.transposed });
  if (layoutCost(flip(b), flip(a), true) < layoutCost(a, b, false)) return groupedConvolution(scope, flip(b), flip(a), true);
  return groupedConvolution(scope, a, b, false);
}

/**
 * Relative cost of the three transposes of one orientation. A transpose that moves the
 * batch innermost touches every number on its own (cost 1 each); one that keeps the
 * last axis ([1,0,2]) copies runs of that axis, cheaper the longer the run (measured on
 * wasm: about 4× for runs of 49, little for 16).
 */
function layoutCost(a: Operand, b: Operand, swapped: boolean): number {
  const size = (o: Operand) => o.t.shape.reduce((x, y) => x * y, 1);
  const run = (length: number) => Math.min(1, 8 / length);
  const [m] = dims(a);
  const n = dims(b)[1];
  const out = a.t.shape[0]! * m * n;
  return size(a) + size(b) * (b.transposed ? 1 : run(n)) + out * (swapped ? 1 : run(n));
}

/** The grouped convolution of `a`·`b` ([batch,m,n]); with `swapped`, a and b are Bᵀ and Aᵀ and the result is transposed back. */
function groupedConvolution(scope: KernelScope, a: Operand, b: Operand, swapped: boolean): TensorInfo {
  const batch = a.t.shape[0]!;
  const [m, k] = dims(a);
  const n = dims(b)[1];
  // Stored [batch,m,k] (or [batch,k,m] when transposed) → [m,k,batch].
  const image = scope.reshape(scope.transpose(a.t, a.transposed ? [2, 1, 0] : [1, 2, 0]), [1, m, k, batch]);
  // Stored [batch,k,n] (or [batch,n,k]) → [k,batch,n]: filter [1,K,channels=batch,multiplier=N].
  const filter = scope.reshape(scope.transpose(b.t, b.transposed ? [2, 0, 1] : [1, 0, 2]), [1, k, batch, n]);
  const y = scope.run('DepthwiseConv2dNative', { x: image, filter }, { strides: [1, k], pad: 'valid', dilations: [1, 1] });
  // [m,batch,n] → [batch,m,n]; swapped, m and n are the other way round: → [batch,n,m].
  return scope.transpose(scope.reshape(y, [m, batch, n]), swapped ? [1, 2, 0] : [1, 0, 2]);
}

/** C[i] = A[i]·B for a batched A and one matrix B: the batch stacks into the rows of one product. */
export function stackedRowsProduct(scope: KernelScope, a: Operand, b: Operand): TensorInfo {
  const batch = a.t.shape[0]!;
  const [m, k] = dims(a);
  const rows = a.transposed ? scope.transpose(a.t, [0, 2, 1]) : a.t; // [batch, m, k]
  const product = plainProduct(scope, scope.reshape(rows, [1, batch * m, k]), asMatrix(scope, b));
  return scope.reshape(product, [batch, m, dims(b)[1]]);
}

/** C[i] = A·B[i] for one matrix A and a batched B: the batch stacks into the columns of one product. */
export function stackedColumnsProduct(scope: KernelScope, a: Operand, b: Operand): TensorInfo {
  const batch = b.t.shape[0]!;
  const [k, n] = dims(b);
  const m = dims(a)[0];
  // Stored [batch,k,n] (or [batch,n,k]) → [k, batch·n].
  const columns = scope.reshape(scope.transpose(b.t, b.transposed ? [2, 0, 1] : [1, 0, 2]), [1, k, batch * n]);
  const product = plainProduct(scope, asMatrix(scope, a), columns); // [1, m, batch·n]
  return scope.transpose(scope.reshape(product, [m, batch, n]), [1, 0, 2]);
}

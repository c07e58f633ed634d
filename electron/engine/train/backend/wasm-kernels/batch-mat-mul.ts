// BatchMatMul that keeps matrix products on XNNPACK. The stock wasm kernel uses
// XNNPACK only for a single matrix product without transpose flags; everything else
// (dense-layer gradients dy·Wᵀ and xᵀ·dy, and every batched product: attention's
// Q·Kᵀ and A·V and their gradients) falls into a naive loop 3–10× slower.
//   single matrices, flagged    → transpose the flagged operand (one pass), one product
//   same batch on both sides    → one grouped convolution (batched-products.ts)
//   one side batched            → the batch stacked into rows or columns of one product
//   other broadcasts, non-float → the stock kernel (same semantics as the cpu backend)
import * as tf from '@tensorflow/tfjs';
import { withScope, type KernelScope, type TensorInfo } from './kernel-scope.js';
import {
  asMatrix, groupedProduct, plainProduct, stackedColumnsProduct, stackedRowsProduct, type Operand,
} from './batched-products.js';

const batchOf = (t: TensorInfo) => t.shape.slice(0, -2).reduce((x, y) => x * y, 1);

export function makeBatchMatMulKernel(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return stock(args);
    const batchA = batchOf(a);
    const batchB = batchOf(b);
    const single = batchA === 1 && batchB === 1;
    if (single && !transposeA && !transposeB) return stock(args);
    // Flattened batches that neither match nor are 1 ([2,3]·[3]): the stock kernel's
    // modulo indexing is what the cpu backend does too; rare, not worth a path.
    if (batchA !== batchB && batchA !== 1 && batchB !== 1) return stock(args);
    const [innerA, innerB] = [a.shape.at(transposeA ? -2 : -1), b.shape.at(transposeB ? -1 : -2)];
    // Broadcasts that TF.js rejects, or that a flattened batch cannot express ([2,1]·[1,2]),
    // and mismatched inner sizes: the stock kernel raises (or handles) them as TF.js does.
    const outer = tryBroadcast(a.shape.slice(0, -2), b.shape.slice(0, -2));
    if (innerA !== innerB || !outer || outer.reduce((x, y) => x * y, 1) !== Math.max(batchA, batchB)) return stock(args);
    return withScope(backend, (scope) => {
      const product = batchedProduct(scope, operand(scope, a, transposeA), operand(scope, b, transposeB), batchA, batchB);
      const [m, n] = product.shape.slice(-2) as [number, number];
      return scope.reshape(product, [...outer, m, n]);
    });
  };
}

function operand(scope: KernelScope, t: TensorInfo, transposed: boolean): Operand {
  const [r, c] = t.shape.slice(-2) as [number, number];
  return { t: scope.reshape(t, [batchOf(t), r, c]), transposed };
}

function batchedProduct(scope: KernelScope, a: Operand, b: Operand, batchA: number, batchB: number): TensorInfo {
  if (batchA === 1 && batchB === 1) return plainProduct(scope, asMatrix(scope, a), asMatrix(scope, b));
  if (batchA === batchB) return groupedProduct(scope, a, b);
  return batchB === 1 ? stackedRowsProduct(scope, a, b) : stackedColumnsProduct(scope, a, b);
}

function tryBroadcast(x: number[], y: number[]): number[] | null {
  try {
    return tf.broadcast_util.assertAndGetBroadcastShape(x, y);
  } catch {
    return null;
  }
}

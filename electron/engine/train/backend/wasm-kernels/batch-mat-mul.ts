// BatchMatMul that keeps dense-layer gradients on XNNPACK. The stock wasm kernel
// uses XNNPACK only for a single matrix product without transpose flags; dense
// gradients (dy·Wᵀ and xᵀ·dy) set a flag and fall into a naive loop 3–10× slower.
// Transposing the flagged operand explicitly (one cheap pass) restores the fast path.
// Batched products keep the stock kernel.
import type * as tf from '@tensorflow/tfjs';
import { withScope, type TensorInfo } from './kernel-scope.js';

export function makeBatchMatMulKernel(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
    const single = (t: TensorInfo) => t.shape.slice(0, -2).every((d) => d === 1);
    if ((!transposeA && !transposeB) || !single(a) || !single(b) || a.dtype !== 'float32' || b.dtype !== 'float32') {
      return stock(args);
    }
    return withScope(backend, (scope) => {
      const matrix = (t: TensorInfo, transposed: boolean) => {
        const [r, c] = t.shape.slice(-2) as [number, number];
        const m = scope.reshape(t, [r, c]);
        return transposed ? scope.reshape(scope.transpose(m, [1, 0]), [1, c, r]) : scope.reshape(m, [1, r, c]);
      };
      const product = scope.run('BatchMatMul', { a: matrix(a, transposeA), b: matrix(b, transposeB) }, {
        transposeA: false, transposeB: false,
      });
      const rank = Math.max(a.shape.length, b.shape.length);
      const outShape = [...new Array<number>(rank - 2).fill(1), ...product.shape.slice(-2)];
      return scope.reshape(product, outShape);
    });
  };
}

// UnsortedSegmentSum for the wasm backend (missing there; tf.gather's gradient and so
// every embedding needs it). The backend's ScatterNd adds rows that share an index,
// which is exactly a segment sum, in O(rows) rather than the O(rows·segments) of a
// one-hot matrix product. ScatterNd does not check bounds, so ids outside
// [0, numSegments) — which the reference implementation ignores — are sent to
// segment 0 with their rows zeroed.
import * as tf from '@tensorflow/tfjs';
import { withScope, type TensorInfo } from './kernel-scope.js';

export const unsortedSegmentSumKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  if (segmentIds.shape.length !== 1) {
    throw new Error(`wasm UnsortedSegmentSum expects 1-D segmentIds, got shape [${segmentIds.shape.join(',')}]`);
  }
  const rows = segmentIds.shape[0] as number;
  if (x.shape[0] !== rows) {
    throw new Error(`wasm UnsortedSegmentSum: x has ${x.shape[0]} rows but segmentIds has ${rows}`);
  }
  const rowShape = x.shape.slice(1);
  const rowSize = rowShape.reduce((a, b) => a * b, 1);

  return withScope(backend, (scope) => {
    const ids = segmentIds.dtype === 'int32' ? segmentIds : scope.run('Cast', { x: segmentIds }, { dtype: 'int32' });
    const zero = scope.constant(new Int32Array([0]), []);
    const count = scope.constant(new Int32Array([numSegments]), []);
    const inRange = scope.run('LogicalAnd', {
      a: scope.run('GreaterEqual', { a: ids, b: zero }),
      b: scope.run('Less', { a: ids, b: count }),
    });
    const safeIds = scope.run('Multiply', { a: ids, b: scope.run('Cast', { x: inRange }, { dtype: 'int32' }) });
    const rowMask = scope.reshape(scope.run('Cast', { x: inRange }, { dtype: x.dtype }), [rows, 1]);
    const updates = scope.run('Multiply', { a: scope.reshape(x, [rows, rowSize]), b: rowMask });
    const summed = scope.run('ScatterNd', { indices: scope.reshape(safeIds, [rows, 1]), updates }, {
      shape: [numSegments, rowSize],
    });
    return scope.reshape(summed, [numSegments, ...rowShape]);
  });
};

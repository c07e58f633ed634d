// BatchMatMul on wasm (single products with transpose flags routed to XNNPACK, batched
// products as one grouped convolution or one stacked product) agrees with the CPU backend.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { disagreement, prepareBackends, seededValues, sizeOf } from './compare-backends.js';

const FLAGS = [[false, false], [true, false], [false, true], [true, true]] as const;
// Every size of 1/7/16/49/64 in every role (M, K, N), plus the ViT's attention shapes.
const MKN: [number, number, number][] = [
  [1, 7, 16], [7, 16, 49], [16, 49, 64], [49, 64, 1], [64, 1, 7], [49, 16, 49], [49, 49, 16], [1, 1, 1],
];
const BATCHES: number[][] = [[], [1], [3], [64, 4]];

/** An operand of shape batch + the matrix (rows × cols) the product reads, stored transposed if flagged. */
function operand(batch: number[], rows: number, cols: number, transposed: boolean, seed: number) {
  const shape = [...batch, ...(transposed ? [cols, rows] : [rows, cols])];
  const values = seededValues(sizeOf(shape), seed);
  return () => tf.tensor(values, shape);
}

function products(batchA: number[], batchB: number[], ta: boolean, tb: boolean, seed = 1) {
  const pairs = MKN.map(([m, k, n], i) => [operand(batchA, m, k, ta, seed + 2 * i), operand(batchB, k, n, tb, seed + 2 * i + 1)] as const);
  return () => pairs.map(([a, b]) => tf.matMul(a(), b(), ta, tb));
}

describe('wasm BatchMatMul', () => {
  beforeAll(prepareBackends);

  describe.each(BATCHES.map((b) => [JSON.stringify(b), b] as const))('batch dims %s on both sides', (_name, batch) => {
    it.each(FLAGS)('transposeA=%s transposeB=%s matches cpu over M/K/N of 1, 7, 16, 49, 64', async (ta, tb) => {
      expect(await disagreement(products([...batch], [...batch], ta, tb))).toBeLessThanOrEqual(1e-4);
    });
  });

  it.each(FLAGS)('broadcast batches (one side a single matrix, or batch dims of 1) match cpu, transposeA=%s transposeB=%s', async (ta, tb) => {
    const error = await disagreement(() => [
      ...products([3], [], ta, tb, 40)(), // stacked rows
      ...products([], [2, 3], ta, tb, 60)(), // stacked columns
      ...products([4, 1], [1], ta, tb, 80)(),
      ...products([1], [2, 3], ta, tb, 100)(),
      ...products([2, 3], [3], ta, tb, 120)(), // modulo broadcast: stock kernel
    ]);
    expect(error).toBeLessThanOrEqual(1e-4);
  });

  // TF.js 4.22's BatchMatMul gradient does not reduce broadcast batches (it fails on every
  // backend), so only equal batches; the gradient itself runs products with all four flag pairs.
  it.each(FLAGS)('gradients of batched products match cpu, transposeA=%s transposeB=%s', async (ta, tb) => {
    const cases = [[[64, 4], [64, 4]], [[3], [3]], [[1], [1]], [[], []]] as const;
    const error = await disagreement(() => cases.flatMap(([batchA, batchB], i) => {
      const a = operand([...batchA], 49, 16, ta, 200 + i)();
      const b = operand([...batchB], 16, 7, tb, 300 + i)();
      const w = operand([...batchA], 49, 7, false, 400 + i)();
      return tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, ta, tb).mul(w).sum())([a, b]);
    }));
    expect(error).toBeLessThanOrEqual(1e-4);
  });

  it('still rejects mismatched inner sizes and batches TF.js cannot broadcast', async () => {
    await tf.setBackend('wasm');
    expect(() => tf.matMul(tf.ones([3, 4, 5]), tf.ones([3, 6, 2]))).toThrow(/inner shapes/);
    expect(() => tf.matMul(tf.ones([2, 3, 4, 5]), tf.ones([3, 2, 5, 2]))).toThrow();
  });
});

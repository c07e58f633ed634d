// BatchMatMul on wasm (transpose flags routed to XNNPACK) agrees with the CPU backend.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { disagreement, prepareBackends, seededValues } from './compare-backends.js';

const FLAGS = [[false, false], [true, false], [false, true], [true, true]] as const;

describe('wasm BatchMatMul', () => {
  beforeAll(prepareBackends);

  it.each(FLAGS)('transposeA=%s transposeB=%s matches cpu, as matrices and as batch-1 rank 3', async (ta, tb) => {
    const a = seededValues(5 * 7, 1);
    const b = seededValues(7 * 4, 2);
    const error = await disagreement(() => {
      const left = tf.tensor2d(a, ta ? [7, 5] : [5, 7]);
      const right = tf.tensor2d(b, tb ? [4, 7] : [7, 4]);
      return [
        tf.matMul(left, right, ta, tb),
        tf.matMul(left.expandDims(0), right.expandDims(0), ta, tb),
      ];
    });
    expect(error).toBeLessThanOrEqual(1e-4);
  });

  it('keeps batched products (stock path) correct', async () => {
    const a = seededValues(3 * 5 * 7, 3);
    const b = seededValues(3 * 4 * 7, 4);
    const error = await disagreement(() => [tf.matMul(tf.tensor3d(a, [3, 5, 7]), tf.tensor3d(b, [3, 4, 7]), false, true)]);
    expect(error).toBeLessThanOrEqual(1e-4);
  });
});

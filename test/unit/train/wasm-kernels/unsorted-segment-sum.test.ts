// UnsortedSegmentSum on wasm (tf.gather's gradient) agrees with the CPU backend.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { disagreement, prepareBackends, seededValues } from './compare-backends.js';

describe('wasm UnsortedSegmentSum', () => {
  beforeAll(prepareBackends);

  it.each([{ rows: 1, vocab: 4, width: 3 }, { rows: 40, vocab: 7, width: 5 }])(
    'gather gradient with repeated ids: $rows ids into a $vocab×$width table', async ({ rows, vocab, width }) => {
      const ids = Array.from({ length: rows }, (_, i) => (i * 5 + 3) % vocab);
      const table = seededValues(vocab * width, rows);
      const weights = seededValues(rows * width, 2);
      const error = await disagreement(() => [tf.grad((t: tf.Tensor) =>
        tf.gather(t, tf.tensor1d(ids, 'int32')).mul(tf.tensor2d(weights, [rows, width])).sum())(tf.tensor2d(table, [vocab, width]))]);
      expect(error).toBeLessThanOrEqual(1e-4);
    });

  it('ignores ids outside [0, numSegments) and keeps trailing dimensions', async () => {
    const x = seededValues(6 * 2 * 3, 8);
    const error = await disagreement(() => [
      tf.unsortedSegmentSum(tf.tensor3d(x, [6, 2, 3]), tf.tensor1d([2, -1, 0, 5, 2, 4], 'int32'), 4),
    ]);
    expect(error).toBeLessThanOrEqual(1e-4);
  });
});

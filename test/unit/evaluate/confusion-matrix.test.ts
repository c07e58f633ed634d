// The confusion matrix and accuracy on examples counted by hand.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../electron/api/errors.js';
import { confusionMatrix, matrixAccuracy, matrixTotal } from '../../../electron/engine/evaluate/confusion-matrix.js';

describe('confusionMatrix', () => {
  it('counts rows as the actual class and columns as the predicted one', () => {
    // a a a b b c c c c  →  a a b b c c c a c
    const m = confusionMatrix([0, 0, 0, 1, 1, 2, 2, 2, 2], [0, 0, 1, 1, 2, 2, 2, 0, 2], 3);
    expect(m).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [1, 0, 3],
    ]);
    expect(matrixTotal(m)).toBe(9);
    expect(matrixAccuracy(m)).toBeCloseTo(6 / 9, 12);
  });

  it('keeps a row and a column for a class that never occurs', () => {
    expect(confusionMatrix([0, 0], [0, 0], 3)).toEqual([
      [2, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  it('has no accuracy without images', () => {
    const m = confusionMatrix([], [], 2);
    expect(m).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(matrixAccuracy(m)).toBeNull();
  });

  it('refuses mismatched lengths and class indices out of range, naming the field', () => {
    expect(() => confusionMatrix([0, 1], [0], 2)).toThrow(/2 actual labels but 1 predictions/);
    const err = (() => {
      try {
        confusionMatrix([0, 2], [0, 1], 2);
      } catch (e) {
        return e as ApiError;
      }
    })();
    expect(err).toBeInstanceOf(ApiError);
    expect(err?.field).toBe('actual');
    expect(() => confusionMatrix([0], [1.5], 2)).toThrow(/class index 1.5/);
  });
});

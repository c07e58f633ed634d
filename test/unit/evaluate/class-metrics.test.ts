// Precision, recall, F1 and macro F1 on examples worked by hand, including the
// zero-division conventions documented in class-metrics.ts.
import { describe, expect, it } from 'vitest';
import { classMetrics, macroF1 } from '../../../electron/engine/evaluate/class-metrics.js';
import { confusionMatrix } from '../../../electron/engine/evaluate/confusion-matrix.js';

describe('classMetrics', () => {
  it('computes precision and recall from columns and rows', () => {
    // actual a a a a b b, predicted a a b b b b: [[2,2],[0,2]]
    const m = confusionMatrix([0, 0, 0, 0, 1, 1], [0, 0, 1, 1, 1, 1], 2);
    const [a, b] = classMetrics(m, ['a', 'b']);
    // a: 2 of 2 predicted a are right; 2 of 4 actual a were found.
    expect(a).toEqual({ class: 'a', precision: 1, recall: 0.5, f1: 2 / 3, support: 4 });
    // b: 2 of 4 predicted b are right; both actual b were found.
    expect(b).toEqual({ class: 'b', precision: 0.5, recall: 1, f1: 2 / 3, support: 2 });
    expect(macroF1([a!, b!])).toBeCloseTo(2 / 3, 12);
  });

  it('three classes: the macro mean weighs each class equally', () => {
    const m = [
      [2, 1, 0],
      [0, 1, 1],
      [1, 0, 3],
    ];
    const metrics = classMetrics(m, ['a', 'b', 'c']);
    expect(metrics.map((x) => [x.precision, x.recall, x.support])).toEqual([
      [2 / 3, 2 / 3, 3],
      [1 / 2, 1 / 2, 2],
      [3 / 4, 3 / 4, 4],
    ]);
    expect(macroF1(metrics)).toBeCloseTo((2 / 3 + 1 / 2 + 3 / 4) / 3, 12);
  });

  it('a class never predicted has precision 0 (not NaN), and F1 0', () => {
    // Everything predicted as a: b and c were never predicted.
    const metrics = classMetrics(confusionMatrix([0, 1, 2], [0, 0, 0], 3), ['a', 'b', 'c']);
    expect(metrics[0]).toEqual({ class: 'a', precision: 1 / 3, recall: 1, f1: 0.5, support: 1 });
    expect(metrics[1]).toEqual({ class: 'b', precision: 0, recall: 0, f1: 0, support: 1 });
    expect(macroF1(metrics)).toBeCloseTo(0.5 / 3, 12);
  });

  it('a class with no images has recall 0 and is left out of the macro mean', () => {
    // actual a a, predicted a b: b has no images but was predicted once.
    const metrics = classMetrics(confusionMatrix([0, 0], [0, 1], 2), ['a', 'b']);
    expect(metrics[1]).toEqual({ class: 'b', precision: 0, recall: 0, f1: 0, support: 0 });
    expect(macroF1(metrics)).toBeCloseTo(2 / 3, 12); // a alone: precision 1, recall ½
  });

  it('has no macro F1 when no class has images', () => {
    expect(macroF1(classMetrics(confusionMatrix([], [], 2), ['a', 'b']))).toBeNull();
  });
});

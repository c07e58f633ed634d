// Per-class precision, recall and F1 from a confusion matrix (rows actual, columns
// predicted), and their unweighted mean over classes (macro F1), which a rare class
// moves as much as a common one: accuracy alone hides a class the model never gets.
//
// Zero-division conventions (the same as scikit-learn's zero_division=0):
// - precision of a class never predicted (column sum 0) is 0;
// - recall of a class with no images (support 0) is 0;
// - F1 is 0 when precision + recall is 0.
// A class with no images is still listed (support 0) but left out of the macro mean,
// since there was nothing of it to get right or wrong; macro F1 is null when no class
// has images.
import type { ConfusionMatrix } from './confusion-matrix.js';

export interface ClassMetrics {
  class: string;
  precision: number;
  recall: number;
  f1: number;
  /** Images of this class in the evaluated set (the row sum). */
  support: number;
}

const ratio = (num: number, den: number) => (den === 0 ? 0 : num / den);

export function classMetrics(matrix: ConfusionMatrix, classes: readonly string[]): ClassMetrics[] {
  return classes.map((name, c) => {
    const tp = matrix[c]![c]!;
    const support = matrix[c]!.reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((sum, row) => sum + row[c]!, 0);
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    return { class: name, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
}

/** Mean F1 over the classes that have images; null when none has. */
export function macroF1(metrics: readonly ClassMetrics[]): number | null {
  const present = metrics.filter((m) => m.support > 0);
  return present.length === 0 ? null : present.reduce((sum, m) => sum + m.f1, 0) / present.length;
}

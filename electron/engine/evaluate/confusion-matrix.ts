// The confusion matrix: how many images of each actual class were predicted as each
// class. Rows are the actual class, columns the predicted one (matrix[actual][predicted]),
// the orientation scikit-learn uses, so the diagonal holds the correct predictions.
import { ApiError } from '../../api/errors.js';

export type ConfusionMatrix = number[][];

/** Counts pairs of class indices (0…numClasses−1) into a numClasses × numClasses matrix. */
export function confusionMatrix(actual: readonly number[], predicted: readonly number[], numClasses: number): ConfusionMatrix {
  if (actual.length !== predicted.length) {
    throw new ApiError('invalid_request', `confusion matrix: ${actual.length} actual labels but ${predicted.length} predictions`, 'predicted');
  }
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new ApiError('invalid_request', `confusion matrix needs at least one class, got ${numClasses}`, 'classes');
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  const check = (c: number, field: string) => {
    if (!Number.isInteger(c) || c < 0 || c >= numClasses) throw new ApiError('invalid_request', `confusion matrix: class index ${c} is outside 0…${numClasses - 1}`, field);
    return c;
  };
  for (let i = 0; i < actual.length; i++) matrix[check(actual[i]!, 'actual')]![check(predicted[i]!, 'predicted')]!++;
  return matrix;
}

/** Images counted in the matrix. */
export function matrixTotal(matrix: ConfusionMatrix): number {
  return matrix.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0);
}

/** Correct predictions over all predictions; null for an empty matrix (no images, no accuracy). */
export function matrixAccuracy(matrix: ConfusionMatrix): number | null {
  const total = matrixTotal(matrix);
  if (total === 0) return null;
  return matrix.reduce((sum, row, i) => sum + row[i]!, 0) / total;
}

// The most confident mistakes: wrong predictions the model was surest of. They are the
// first images to look at, because they are often not model errors but wrong labels.
export interface Prediction {
  imageId: number;
  /** Current label (class name). */
  actual: string;
  predicted: string;
  /** The predicted class's probability. */
  confidence: number;
  /** One probability per class, in the model's class order. */
  probabilities: number[];
}

export const MISTAKES_SHOWN = 20;

/** Wrong predictions, most confident first (ties: lower image id first, so the order is stable). */
export function mostConfidentMistakes<P extends Prediction>(predictions: readonly P[], limit = MISTAKES_SHOWN): P[] {
  return predictions
    .filter((p) => p.predicted !== p.actual)
    .sort((a, b) => b.confidence - a.confidence || a.imageId - b.imageId)
    .slice(0, limit);
}

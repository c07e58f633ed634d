// Synthetic metric histories and run facts for the coach's tests. The healthy run: both
// losses fall together and level off, validation a little above training, the best
// epoch the last, balanced classes with enough images; no rule has anything to say.
import type { EpochPoint, RunFacts } from '../../../../electron/engine/train/coach/coach-types.js';

export function history(train: readonly (number | null)[], val: readonly (number | null)[] = [], learningRate = 0.001): EpochPoint[] {
  return train.map((t, i) => ({
    epoch: i + 1,
    trainLoss: t,
    trainAccuracy: null,
    valLoss: val[i] ?? null,
    valAccuracy: null,
    learningRate,
  }));
}

export const HEALTHY_TRAIN = [1.05, 0.8, 0.6, 0.45, 0.36, 0.3, 0.26, 0.23, 0.21, 0.2];
export const HEALTHY_VAL = [1.0, 0.78, 0.62, 0.5, 0.43, 0.39, 0.36, 0.357, 0.356, 0.355];
export const healthy = history(HEALTHY_TRAIN, HEALTHY_VAL);

/** Three balanced classes of 40 training images, a small CNN, early stopping on and not triggered. */
export function facts(over: Partial<RunFacts> = {}, es: Partial<RunFacts['earlyStopping']> = {}): RunFacts {
  return {
    classCounts: [
      { class: 'circle', train: 40, validation: 9 },
      { class: 'square', train: 40, validation: 9 },
      { class: 'triangle', train: 40, validation: 9 },
    ],
    modelKind: 'small-cnn',
    settings: { learningRate: 0.001, dropout: 0.3, weightDecay: 0.01, augmentation: 'default', epochs: 10 },
    ...over,
    earlyStopping: { enabled: true, stoppedEarly: false, bestEpoch: 10, epochsRun: 10, patience: 5, ...es },
  };
}

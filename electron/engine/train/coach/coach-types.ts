// What the coach reads (a run's per-epoch metrics and a few facts about its data and
// settings) and what it says: findings in plain words, each with suggestions that name
// the training setting applying them, so the UI can link "add dropout" to the dropout field.

/** One epoch as the run recorded it; a loss that was not a number is null. */
export interface EpochPoint {
  epoch: number;
  trainLoss: number | null;
  trainAccuracy: number | null;
  /** null in an epoch that was not validated. */
  valLoss: number | null;
  valAccuracy: number | null;
  learningRate: number | null;
}

export interface RunFacts {
  /** Training images per class (validation too when known). */
  classCounts: { class: string; train: number; validation?: number }[];
  /** Largest over smallest training class; computed from classCounts when absent. */
  imbalanceRatio?: number | null;
  modelKind: string | null;
  earlyStopping: {
    enabled: boolean;
    /** The run ended because validation stopped improving. */
    stoppedEarly: boolean;
    bestEpoch: number | null;
    epochsRun: number;
    patience?: number;
  };
  /** The run ended on a loss that was not a number. */
  diverged?: boolean;
  /** The settings the run used, when known, so a suggestion can propose a value. */
  settings?: {
    learningRate?: number;
    dropout?: number;
    weightDecay?: number;
    augmentation?: 'none' | 'default' | 'custom';
    epochs?: number;
  };
}

/** A TrainConfig field path a suggestion applies to; null when no setting does it (more data). */
export type CoachSetting =
  | 'augmentation'
  | 'dropout'
  | 'weightDecay'
  | 'modelKind'
  | 'earlyStopping.enabled'
  | 'earlyStopping.patience'
  | 'learningRate'
  | 'epochs'
  | null;

export interface Suggestion {
  text: string;
  setting: CoachSetting;
  /** A value for the setting, when the coach can propose one. */
  value?: string | number | boolean;
}

export type FindingId =
  | 'overfitting'
  | 'underfitting'
  | 'early-stop-kept'
  | 'still-improving'
  | 'too-few-images'
  | 'class-imbalance'
  | 'learning-rate-too-high'
  | 'learning-rate-too-low';

export interface Finding {
  id: FindingId;
  severity: 'info' | 'warning';
  /** Plain words, a few of them: "The model is memorising the training images". */
  title: string;
  detail: string;
  suggestions: Suggestion[];
}

/** A rule: a pure function of the history and the facts; null when it has nothing to say. */
export type CoachRule = (history: readonly EpochPoint[], facts: RunFacts) => Finding | null;

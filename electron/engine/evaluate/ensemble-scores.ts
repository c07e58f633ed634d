// Scores an ensemble: each member's best checkpoint on the same images, through the same
// feeder evaluation uses (evaluationFeeder + scoreModel), then the average of their
// probabilities (ensemble-average.ts). Members are scored one at a time, so only one
// member's model is in memory at once. Used by evaluateRun and, on the validation images,
// by training when an ensemble's last member finishes.
import type Database from 'better-sqlite3';
import type * as tf from '@tensorflow/tfjs';
import { ApiError } from '../../api/errors.js';
import type { Run } from '../store/runs-repo.js';
import type { EnsembleMemberScore } from '../store/evaluations-repo.js';
import { SplitsRepo } from '../store/splits-repo.js';
import type { TrainingItem } from '../train/data/training-set.js';
import { loadRunModel } from '../train/run/load-run-model.js';
import type { CheckpointState } from '../train/run/run-training.js';
import { averageProbabilities } from './ensemble-average.js';
import { trainedMembers } from './ensemble-members.js';
import { evaluationFeeder } from './evaluation-feeder.js';
import { loadEvaluationSet } from './evaluation-set.js';
import { argMaxRow, scoreModel, type ModelScores } from './score-model.js';

/** As training's cross-entropy (metrics.ts): log(p + ε), so the numbers compare. */
const EPSILON = 1e-7;

export type ScoreProgress = (phase: 'features' | 'predicting', done: number, total: number) => void;

/** One model's probabilities on the items, fed exactly as evaluation feeds them. */
export async function scoreItems(
  model: tf.LayersModel,
  projectDir: string,
  state: CheckpointState,
  items: readonly TrainingItem[],
  onProgress?: ScoreProgress,
): Promise<ModelScores> {
  const { feeder, dispose } = await evaluationFeeder({
    projectDir,
    state,
    items,
    onFeatures: onProgress ? (done, total) => onProgress('features', done, total) : undefined,
  });
  try {
    return await scoreModel(model, feeder, state.classes.length, onProgress ? (done, total) => onProgress('predicting', done, total) : undefined);
  } finally {
    dispose();
  }
}

/** Share of rows whose arg-max is the label; null with no rows. */
export function accuracyOf(probabilities: Float32Array, numClasses: number, labels: readonly number[]): number | null {
  if (labels.length === 0) return null;
  let right = 0;
  labels.forEach((label, i) => {
    if (argMaxRow(probabilities, numClasses, i) === label) right++;
  });
  return right / labels.length;
}

/** Mean cross-entropy of the rows against the labels; null with no rows. */
export function meanCrossEntropy(probabilities: Float32Array, numClasses: number, labels: readonly number[]): number | null {
  if (labels.length === 0) return null;
  let sum = 0;
  labels.forEach((label, i) => {
    sum -= Math.log(probabilities[i * numClasses + label]! + EPSILON);
  });
  return sum / labels.length;
}

export interface EnsembleScores {
  /** The members' averaged probabilities, items × classes. */
  probabilities: Float32Array;
  loss: number | null;
  accuracy: number | null;
  members: EnsembleMemberScore[];
  /** Ensemble accuracy minus the members' mean accuracy. */
  gain: number | null;
}

export interface EnsembleInput {
  projectDir: string;
  db: Database.Database;
  members: readonly Run[];
  /** Member 0's model, already loaded (the caller needed its classes first); not disposed here. */
  first: { model: tf.LayersModel; state: CheckpointState };
  items: readonly TrainingItem[];
  onProgress?: ScoreProgress;
}

export async function scoreEnsemble(input: EnsembleInput): Promise<EnsembleScores> {
  const { members, first, items } = input;
  const k = first.state.classes.length;
  const labels = items.map((i) => i.label);
  const all: Float32Array[] = [];
  const scores: EnsembleMemberScore[] = [];
  for (const [index, member] of members.entries()) {
    const loaded = index === 0 ? first : await loadRunModel(input.db, input.projectDir, member.id, 'best');
    try {
      const same = loaded.state.classes.length === k && loaded.state.classes.every((c, i) => c === first.state.classes[i]);
      if (!same) {
        throw new ApiError(
          'conflict',
          `member ${member.id} of the ensemble knows the classes [${loaded.state.classes.join(', ')}], member ${members[0]!.id} knows [${first.state.classes.join(', ')}]: they cannot be averaged`,
          'run',
        );
      }
      const s = await scoreItems(loaded.model, input.projectDir, loaded.state, items, input.onProgress);
      all.push(s.probabilities);
      scores.push({ runId: member.id, name: member.name, accuracy: accuracyOf(s.probabilities, k, labels) ?? 0, loss: s.loss ?? 0 });
    } finally {
      if (index !== 0) loaded.model.dispose();
    }
  }
  const probabilities = averageProbabilities(all, k);
  const accuracy = accuracyOf(probabilities, k, labels);
  const meanMember = scores.reduce((a, m) => a + m.accuracy, 0) / scores.length;
  return {
    probabilities,
    loss: meanCrossEntropy(probabilities, k, labels),
    accuracy,
    members: scores,
    gain: accuracy === null ? null : accuracy - meanMember,
  };
}

/**
 * The ensemble's numbers on its split version's validation images: what training records
 * as the ensemble's own validation accuracy and loss once its last member has finished.
 */
export async function ensembleValidation(db: Database.Database, projectDir: string, ensemble: Run): Promise<EnsembleScores & { evaluated: number }> {
  const members = trainedMembers(db, ensemble);
  const first = await loadRunModel(db, projectDir, members[0]!.id, 'best');
  try {
    const ids = new SplitsRepo(db).imageIds(ensemble.splitVersionId, 'validation');
    const set = loadEvaluationSet(db, ids, first.state.classes, ensemble.createdAt);
    const scores = await scoreEnsemble({ db, projectDir, members, first, items: set.items });
    return { ...scores, evaluated: set.items.length };
  } finally {
    first.model.dispose();
  }
}

// Evaluates a run's best checkpoint (an ensemble: its members' best checkpoints, their
// probabilities averaged) on its split version's validation images (any time)
// or test images (only through the lockbox: openLockbox checks the confirmations and
// counts the use before a test image id is known; the result is then recorded in the
// same ledger row). Labels are the current ones; images relabeled since the run was
// created are listed, so the result can say the run learned from old labels.
import type Database from 'better-sqlite3';
import { ApiError } from '../../api/errors.js';
import { RunsRepo, type Run } from '../store/runs-repo.js';
import { SplitsRepo } from '../store/splits-repo.js';
import { selectBackend, type BackendPreference } from '../train/backend/select-backend.js';
import { findBackbone } from '../train/backbones/resolve-backbone.js';
import { loadRunModel } from '../train/run/load-run-model.js';
import { classMetrics, macroF1, type ClassMetrics } from './class-metrics.js';
import { confusionMatrix, matrixAccuracy } from './confusion-matrix.js';
import { evaluationFeeder } from './evaluation-feeder.js';
import { EVALUATION_SPLITS, type EvaluationSplit } from './evaluation-split.js';
import { countEvaluable, loadEvaluationSet, type EvaluationSet } from './evaluation-set.js';
import { checkLockboxConsent } from '../splits/lockbox-rules.js';
import { lockboxStatus, openLockbox, recordTestResult, type OpenedLockbox } from './ledger.js';
import { mostConfidentMistakes, type Prediction } from './mistakes.js';
import { latestQuizAccuracy, type HumanQuizAccuracy } from './quiz-accuracy.js';
import { argMaxRow } from './score-model.js';
import { scoreEnsemble, scoreItems } from './ensemble-scores.js';
import { trainedMembers } from './ensemble-members.js';
import type { EnsembleMemberScore } from '../store/evaluations-repo.js';

export { EVALUATION_SPLITS, type EvaluationSplit };

export interface EvaluateOptions {
  /** Test only: the first confirmation (the lockbox refuses without it). */
  confirm?: boolean;
  /** Test only: needed when this test set was evaluated before. */
  confirmReuse?: boolean;
  /** Test only: what the ledger records as evaluated; "run N "name", best checkpoint (epoch k)" by default. */
  model?: string;
  /**
   * Which TensorFlow.js backend to compute on: the run's own preference by default (the
   * same arithmetic as its training, so validation numbers repeat), or 'current' to keep
   * whatever the process already uses.
   */
  backend?: BackendPreference | 'current';
  onProgress?(phase: 'features' | 'predicting', done: number, total: number): void;
}

export interface EvaluationResult {
  runId: number;
  split: EvaluationSplit;
  splitVersionId: number;
  checkpointEpoch: number;
  modelKind: string;
  /** The backend the numbers were computed on; null when 'current' was asked for. */
  backend: string | null;
  evaluated: number;
  accuracy: number;
  loss: number;
  perClass: ClassMetrics[];
  /** Mean F1 over classes with images; null if none has. */
  macroF1: number | null;
  confusion: { classes: string[]; matrix: number[][] };
  /** Every evaluated image, in image-id order, for the confusion matrix's cell galleries. */
  predictions: Prediction[];
  mostConfidentMistakes: Prediction[];
  skipped: EvaluationSet['skipped'];
  /** Evaluated images whose label changed after the run was created (the run learned their old label). */
  labelsChangedSinceRun: number[];
  /** People's accuracy in the newest answered quiz, or null. */
  quizAccuracy: number | null;
  quiz: HumanQuizAccuracy | null;
  /** An ensemble: each member on the same images (accuracy, loss); null for a single model. */
  members: EnsembleMemberScore[] | null;
  /** An ensemble: its accuracy minus the members' mean accuracy; null for a single model. */
  gain: number | null;
  /** Test only: the ledger row, how many times this test set has been opened (this time included), and its mark. */
  ledgerEntryId?: number;
  testUses?: number;
  reused?: boolean;
  reuseMark?: string | null;
}

function checkSplit(split: string): EvaluationSplit {
  if (!(EVALUATION_SPLITS as readonly string[]).includes(split)) {
    throw new ApiError('invalid_request', `split must be "validation" or "test", not "${split}"`, 'split');
  }
  return split as EvaluationSplit;
}

function runBackend(run: Run): BackendPreference {
  const b = (run.config as { backend?: unknown } | null)?.backend;
  return b === 'tensorflow-gpu' || b === 'tensorflow' || b === 'wasm' || b === 'cpu' ? b : 'auto';
}

/** What the ledger keeps: the numbers, not the per-image predictions (they can be recomputed). */
function ledgerSummary(r: Omit<EvaluationResult, 'predictions' | 'mostConfidentMistakes' | 'quiz' | 'quizAccuracy'>) {
  return {
    runId: r.runId,
    checkpointEpoch: r.checkpointEpoch,
    modelKind: r.modelKind,
    backend: r.backend,
    evaluated: r.evaluated,
    accuracy: r.accuracy,
    loss: r.loss,
    macroF1: r.macroF1,
    perClass: r.perClass,
    confusion: r.confusion,
    skipped: r.skipped,
    labelsChangedSinceRun: r.labelsChangedSinceRun.length,
    members: r.members,
    gain: r.gain,
  };
}

export async function evaluateRun(
  db: Database.Database,
  projectDir: string,
  runId: number,
  splitInput: EvaluationSplit,
  opts: EvaluateOptions = {},
): Promise<EvaluationResult> {
  const split = checkSplit(splitInput);
  const runs = new RunsRepo(db);
  const run = runs.get(runId);
  if (!run) throw new ApiError('not_found', `run ${runId} does not exist`, 'run');
  // Refused before any work: a run without a checkpoint has no model to evaluate (an
  // ensemble: a member without one).
  const members = run.kind === 'ensemble' ? trainedMembers(db, run) : null;
  if (!members && !runs.checkpoint(runId, 'best')) {
    throw new ApiError('not_found', `run ${runId} has no saved model yet (no best checkpoint): it has not finished a validated epoch`, 'run');
  }
  // The lockbox's own rule, checked before any work so a refusal is immediate; openLockbox
  // checks it again, counted under its transaction.
  if (split === 'test') checkLockboxConsent(lockboxStatus(db, run.splitVersionId).uses, opts);
  const backend = opts.backend === 'current' ? null : (await selectBackend(opts.backend ?? runBackend(run))).label;
  // An ensemble's classes and input come from its first member (all share the split version).
  const { model, state, checkpoint } = await loadRunModel(db, projectDir, members ? members[0]!.id : runId, 'best');
  try {
    // A set with nothing to score is refused before the lockbox is opened: a use of the
    // test set is counted at opening, and should not be spent on an empty evaluation.
    if (countEvaluable(db, run.splitVersionId, split, state.classes) === 0) {
      throw new ApiError('conflict', `split version ${run.splitVersionId} has no labeled ${split} images of this run's classes: there is nothing to evaluate`, 'split');
    }
    // Likewise a backbone that is gone (a project folder copied without it) is named now.
    if (state.input.backboneId) findBackbone(projectDir, state.input.backboneId);
    let opened: OpenedLockbox | null = null;
    let imageIds: number[];
    if (split === 'test') {
      opened = openLockbox(db, {
        versionId: run.splitVersionId,
        confirm: opts.confirm,
        confirmReuse: opts.confirmReuse,
        model:
          opts.model ??
          (members
            ? `ensemble ${run.id} "${run.name}": the average of ${members.length} members' best checkpoints (runs ${members.map((m) => m.id).join(', ')})`
            : `run ${run.id} "${run.name}", best checkpoint (epoch ${checkpoint.epoch})`),
        runId: run.id,
      });
      imageIds = opened.testImageIds;
    } else {
      imageIds = new SplitsRepo(db).imageIds(run.splitVersionId, 'validation');
    }

    const set = loadEvaluationSet(db, imageIds, state.classes, run.createdAt);
    const progress = opts.onProgress;
    let probabilities: Float32Array;
    let loss: number | null;
    let ensemble: { members: EnsembleMemberScore[]; gain: number | null } = { members: [], gain: null };
    if (members) {
      const e = await scoreEnsemble({ db, projectDir, members, first: { model, state }, items: set.items, ...(progress ? { onProgress: progress } : {}) });
      ({ probabilities, loss } = e);
      ensemble = { members: e.members, gain: e.gain };
    } else {
      ({ probabilities, loss } = await scoreItems(model, projectDir, state, set.items, progress));
    }
    const scored = summarise(probabilities, loss!, state.classes, set);
    const result: EvaluationResult = {
      runId: run.id,
      split,
      splitVersionId: run.splitVersionId,
      // An ensemble has no checkpoint of its own: 0 stands for "its members' best ones".
      checkpointEpoch: members ? 0 : checkpoint.epoch,
      modelKind: state.modelKind,
      backend,
      ...scored,
      skipped: set.skipped,
      labelsChangedSinceRun: set.labelsChangedSinceRun,
      quizAccuracy: null,
      quiz: latestQuizAccuracy(db),
      members: members ? ensemble.members : null,
      gain: members ? ensemble.gain : null,
    };
    result.quizAccuracy = result.quiz?.accuracy ?? null;
    if (opened) {
      const entry = recordTestResult(db, opened.entry.id, ledgerSummary(result));
      Object.assign(result, { ledgerEntryId: entry.id, testUses: opened.testUses, reused: opened.reused, reuseMark: entry.reuseMark });
    }
    return result;
  } finally {
    model.dispose();
  }
}

type Scored = Pick<EvaluationResult, 'evaluated' | 'accuracy' | 'loss' | 'perClass' | 'macroF1' | 'confusion' | 'predictions' | 'mostConfidentMistakes'>;

/** The metrics of scored probabilities (items × classes, in the set's order). */
function summarise(probabilities: Float32Array, loss: number, classes: readonly string[], set: EvaluationSet): Scored {
  const k = classes.length;
  const scores = { probabilities };
  const actual = set.items.map((i) => i.label);
  const predicted = set.items.map((_, i) => argMaxRow(scores.probabilities, k, i));
  const matrix = confusionMatrix(actual, predicted, k);
  const perClass = classMetrics(matrix, [...classes]);
  const predictions: Prediction[] = set.items.map((item, i) => {
    const probabilities = Array.from(scores.probabilities.subarray(i * k, (i + 1) * k));
    return {
      imageId: item.imageId,
      actual: classes[actual[i]!]!,
      predicted: classes[predicted[i]!]!,
      confidence: probabilities[predicted[i]!]!,
      probabilities,
    };
  });
  return {
    evaluated: set.items.length,
    // countEvaluable was > 0, so neither is null here.
    accuracy: matrixAccuracy(matrix)!,
    loss,
    perClass,
    macroF1: macroF1(perClass),
    confusion: { classes: [...classes], matrix },
    predictions,
    mostConfidentMistakes: mostConfidentMistakes(predictions),
  };
}

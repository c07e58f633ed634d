// holdout evaluate --project <dir> --run <id> --split validation|test [--confirm-test]
// Scores a run's best checkpoint, saves the evaluation (the app's Evaluate screen shows
// it; "evaluation_id" names it) and prints one "evaluate" line (progress "phase" lines
// may come first). The test split opens only with --confirm-test: each use is written to
// the lockbox ledger, and a use after the first carries a warning.
import { ApiError } from '../../api/errors.js';
import type { EvaluationResult } from '../../engine/evaluate/evaluate-run.js';
import { EVALUATION_SPLITS, type EvaluationSplit } from '../../engine/evaluate/evaluation-split.js';
import { openForChanges } from '../open-project.js';
import { emitLine, UsageError } from '../output.js';

export interface EvaluateArgs {
  project: string;
  run: string | undefined;
  split: string | undefined;
  confirmTest: boolean;
}

function parseRunId(value: string | undefined): number {
  if (value === undefined) throw new UsageError('evaluate needs --run <id> (see `holdout runs`)');
  const id = Number(value);
  if (!Number.isInteger(id) || id <= 0) throw new UsageError(`--run needs a run id (a whole number), not "${value}"`);
  return id;
}

function parseSplit(value: string | undefined): EvaluationSplit {
  if (value === undefined) throw new UsageError('evaluate needs --split validation or --split test');
  if (!(EVALUATION_SPLITS as readonly string[]).includes(value)) throw new UsageError(`--split must be "validation" or "test", not "${value}"`);
  return value as EvaluationSplit;
}

/** The lockbox names its API fields (confirm, confirmReuse); a terminal user has one flag. */
function inCliTerms(err: unknown): unknown {
  if (err instanceof ApiError && err.code === 'forbidden' && (err.field === 'confirm' || err.field === 'confirmReuse')) {
    return new ApiError(
      'forbidden',
      'Evaluating on the test set is a deliberate, recorded act: run again with --confirm-test. Compare and tune models on --split validation; ' +
        'open the test set once, at the end. Nothing was evaluated or recorded.',
      'confirm-test',
    );
  }
  return err;
}

function resultLine(r: EvaluationResult, evaluationId: number): Record<string, unknown> {
  return {
    evaluation_id: evaluationId,
    run_id: r.runId,
    split: r.split,
    split_version: r.splitVersionId,
    checkpoint_epoch: r.checkpointEpoch,
    model_kind: r.modelKind,
    backend: r.backend,
    evaluated: r.evaluated,
    accuracy: r.accuracy,
    loss: r.loss,
    macro_f1: r.macroF1,
    per_class: r.perClass.map((c) => ({ class: c.class, precision: c.precision, recall: c.recall, f1: c.f1, support: c.support })),
    confusion: r.confusion,
    most_confident_mistakes: r.mostConfidentMistakes.map((m) => ({ image_id: m.imageId, actual: m.actual, predicted: m.predicted, confidence: m.confidence })),
    skipped: { unlabeled: r.skipped.unlabeled, excluded: r.skipped.excluded, class_not_in_model: r.skipped.classNotInModel },
    labels_changed_since_run: r.labelsChangedSinceRun.length,
    ...(r.split === 'test' ? { test_uses: r.testUses, reused: r.reused } : {}),
    ...(r.reused ? { warning: `${r.reuseMark}: this test set had been evaluated before; it no longer measures unseen data as cleanly` } : {}),
    quiz_accuracy: r.quizAccuracy,
    // An ensemble: each member on the same images, and its gain over their mean accuracy.
    ...(r.members
      ? { members: r.members.map((m) => ({ run_id: m.runId, name: m.name, accuracy: m.accuracy, loss: m.loss })), gain: r.gain }
      : {}),
  };
}

export async function evaluateCommand(args: EvaluateArgs): Promise<number> {
  const runId = parseRunId(args.run);
  const split = parseSplit(args.split);
  // Loaded here, not at the top: TensorFlow.js takes a second or two to load, which
  // every other command (and a mistyped evaluate) should not pay.
  const { evaluateAndSave } = await import('../../engine/evaluate/evaluate-and-save.js');
  const project = openForChanges(args.project, 'evaluate');
  try {
    let last = 0;
    let saved: Awaited<ReturnType<typeof evaluateAndSave>>;
    try {
      saved = await evaluateAndSave(project.db, project.dir, runId, split, {
        // One flag confirms the first use and any reuse; a reuse is announced below.
        confirm: args.confirmTest,
        confirmReuse: args.confirmTest,
        onProgress(phase, done, total) {
          if (done === total || Date.now() - last > 2000) {
            last = Date.now();
            emitLine('phase', { run_id: runId, phase, done, total });
          }
        },
      });
    } catch (err) {
      throw inCliTerms(err);
    }
    const line = resultLine(saved.result, saved.evaluationId);
    if (line.warning) process.stderr.write(`holdout: warning: ${line.warning as string}\n`);
    emitLine('evaluate', line);
    return 0;
  } finally {
    project.close();
  }
}

// Shapes of the evaluation part of the contract: a saved evaluation of a run on its
// validation or test images, its list, and the images behind a confusion-matrix cell.
import { z } from 'zod';
import { Id } from './schemas.js';

export const EvaluationSplit = z.enum(['validation', 'test']);

export const ClassMetricsRow = z.object({
  class: z.string(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  support: z.number().int(),
});

/** One evaluated image: its label when evaluated, what the model said, and its label now. */
export const EvaluatedImage = z.object({
  imageId: Id,
  sha256: z.string(),
  relPath: z.string(),
  /** The label the image had when it was evaluated. */
  actual: z.string(),
  predicted: z.string(),
  /** The predicted class's probability. */
  confidence: z.number(),
  /** The image's label now (null: unlabeled now); differs from `actual` once it is fixed. */
  currentLabel: z.string().nullable(),
});

export const HumanQuiz = z.object({
  sessionId: Id,
  accuracy: z.number(),
  answered: z.number().int(),
  finished: z.boolean(),
  perClass: z.array(z.object({ class: z.string(), accuracy: z.number().nullable(), answered: z.number().int() })),
});

/** One evaluation in a run's list. */
export const EvaluationRow = z.object({
  id: Id,
  runId: Id,
  split: EvaluationSplit,
  splitVersionId: Id,
  createdAt: z.string(),
  checkpointEpoch: z.number().int(),
  evaluated: z.number().int(),
  accuracy: z.number(),
  macroF1: z.number().nullable(),
  /** Test only: how many times this split version's test set had been opened, this time included; else null. */
  testUses: z.number().int().nullable(),
  /** Test only: the ledger's mark, e.g. "test set reused (2)"; null the first time and on validation. */
  reuseMark: z.string().nullable(),
});

/** A whole evaluation: the numbers, the matrix, the surest mistakes, people's quiz accuracy beside. */
export const Evaluation = EvaluationRow.extend({
  modelKind: z.string(),
  backend: z.string().nullable(),
  loss: z.number(),
  perClass: z.array(ClassMetricsRow),
  /** Rows are the actual classes, columns the predicted ones, in `classes` order. */
  confusion: z.object({ classes: z.array(z.string()), matrix: z.array(z.array(z.number().int())) }),
  /** Wrong predictions the model was surest of, surest first (at most 20). */
  mostConfidentMistakes: z.array(EvaluatedImage),
  skipped: z.object({ unlabeled: z.number().int(), excluded: z.number().int(), classNotInModel: z.number().int() }),
  /** Evaluated images whose label changed after the run was created (it learned their old label). */
  labelsChangedSinceRun: z.number().int(),
  /** Evaluated images whose label changed after this evaluation (fixed from its galleries, say). */
  labelsChangedSinceEvaluation: z.number().int(),
  /** People's accuracy in the newest answered "Try it yourself" quiz, or null. */
  quiz: HumanQuiz.nullable(),
  /** An ensemble's members scored on the same images (null for a single model). */
  members: z.array(z.object({ runId: Id, name: z.string(), accuracy: z.number(), loss: z.number() })).nullable(),
  /** Ensemble accuracy minus the mean member accuracy (null for a single model). */
  gain: z.number().nullable(),
  ledgerEntryId: Id.nullable(),
});

export const EvaluationProgress = z.object({
  runId: Id,
  split: EvaluationSplit,
  phase: z.enum(['loading', 'features', 'predicting', 'done', 'failed']),
  done: z.number().int(),
  total: z.number().int(),
  /** Set with phase 'failed'. */
  error: z.string().nullable(),
});

// The contract's methods for evaluating runs and managing the run history. Spread into
// `methods` in contract.ts. Evaluations run in a worker (never in the window or the main
// process); progress arrives as `evaluate.progress` events, and each evaluation is saved
// so a reopened window shows it again without spending another use of the test set.
import { z } from 'zod';
import { Id } from './schemas.js';
import { Evaluation, EvaluatedImage, EvaluationRow, EvaluationSplit } from './evaluate-schemas.js';
import { RunRow } from './train-schemas.js';

function method<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) {
  return { request, response };
}

export const evaluateMethods = {
  /**
   * Evaluates a run's best checkpoint on its split version's validation images (any time) or
   * test images (through the lockbox: refused without `confirm`, and without `confirmReuse`
   * once the test set has been opened before). Saved, then returned whole.
   */
  'evaluate.run': method(
    z
      .object({
        runId: Id,
        split: EvaluationSplit,
        confirm: z.boolean().optional(),
        confirmReuse: z.boolean().optional(),
      })
      .strict(),
    Evaluation,
  ),
  /** Saved evaluations, newest first; of one run when runId is given. */
  'evaluate.list': method(z.object({ runId: Id.optional() }).strict(), z.object({ evaluations: z.array(EvaluationRow) })),
  /** One saved evaluation, whole. */
  'evaluate.get': method(z.object({ evaluationId: Id }).strict(), Evaluation),
  /**
   * The images of one saved evaluation, surest first: those of one confusion-matrix cell
   * (actual and predicted given), of one actual or predicted class, or every mistake.
   * Class names must be among the evaluation's classes.
   */
  'evaluate.images': method(
    z
      .object({
        evaluationId: Id,
        actual: z.string().min(1).max(200).optional(),
        predicted: z.string().min(1).max(200).optional(),
        mistakesOnly: z.boolean().default(false),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    z.object({ total: z.number().int(), images: z.array(EvaluatedImage) }),
  ),

  /** Renames a run and/or sets its note. */
  'runs.update': method(
    z
      .object({
        runId: Id,
        name: z.string().trim().min(1).max(200).optional(),
        note: z.string().max(5000).optional(),
      })
      .strict(),
    z.object({ run: RunRow }),
  ),
  /**
   * Deletes a run, its epochs, its saved evaluations and its checkpoint files. Refused while
   * it trains ('busy'), and without `confirm: true`. The lockbox ledger keeps its rows: a
   * use of the test set stays counted after the run that spent it is gone.
   */
  'runs.delete': method(
    z.object({ runId: Id, confirm: z.literal(true) }).strict(),
    z.object({ deleted: Id, bytesFreed: z.number().int() }),
  ),
} as const;

// An evaluation as the app and the CLI run it: score the run (evaluate-run.ts), then
// save the result with every image it scored, so it can be shown again later without
// scoring again or opening the test set again.
import type Database from 'better-sqlite3';
import { EvaluationsRepo } from '../store/evaluations-repo.js';
import { evaluateRun, type EvaluateOptions, type EvaluationResult } from './evaluate-run.js';
import type { EvaluationSplit } from './evaluation-split.js';

export interface SavedEvaluation {
  evaluationId: number;
  result: EvaluationResult;
}

export async function evaluateAndSave(
  db: Database.Database,
  projectDir: string,
  runId: number,
  split: EvaluationSplit,
  opts: EvaluateOptions = {},
): Promise<SavedEvaluation> {
  // Taken before the labels are read: a label fixed while the evaluation runs counts as
  // changed since it, never as seen by it.
  const startedAt = new Date().toISOString();
  const result = await evaluateRun(db, projectDir, runId, split, opts);
  return { evaluationId: new EvaluationsRepo(db).save(result, startedAt), result };
}

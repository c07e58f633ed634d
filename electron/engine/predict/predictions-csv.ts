// The Predict screen's table as a CSV file in the project's exports folder (beside the
// labels export): one row per image, with the model that answered and one probability
// column per class, so a spreadsheet can sort and filter it.
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { PredictOutcome } from './predict-files.js';
import { writeFileAtomic } from '../util/atomic-write.js';

export function predictionsCsv(outcome: Pick<PredictOutcome, 'model' | 'results'>): string {
  const { model } = outcome;
  const modelName = model.kind === 'ensemble' ? `${model.runName} (ensemble of ${model.members})` : model.runName;
  const header = ['path', 'predicted', 'confidence', 'error', 'run_id', 'model', ...model.classes.map((c) => `p_${c}`)];
  const rows = outcome.results.map((r) => [
    r.path,
    r.predicted ?? '',
    r.confidence ?? '',
    r.error ?? '',
    model.runId,
    modelName,
    ...model.classes.map((c) => r.probabilities?.[c] ?? ''),
  ]);
  return stringify([header, ...rows]);
}

export function defaultPredictionsPath(projectDir: string, runId: number, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return path.join(projectDir, 'exports', `predictions-run${runId}-${stamp}.csv`);
}

/** Writes a new CSV in <project>/exports/ (never overwriting) and returns its path. */
export function writePredictionsCsv(projectDir: string, outcome: Pick<PredictOutcome, 'model' | 'results'>, now = new Date()): { path: string; rows: number } {
  const target = defaultPredictionsPath(projectDir, outcome.model.runId, now);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  writeFileAtomic(target, predictionsCsv(outcome));
  return { path: target, rows: outcome.results.length };
}

// The Predict screen's words and choices: which runs can predict and which is chosen
// first, the table's order, each row's probability bars, the progress line, and the
// suggestions sent when images are added to the project. Pure functions of the
// contract's shapes.
import type { EventPayload, Response } from '../../../../electron/api/contract.js';
import { formatCount, plural } from '../../lib/format.js';

export type RunView = Response<'runs.list'>['runs'][number];
export type PredictResultView = Response<'predict.run'>;
export type PredictionView = PredictResultView['results'][number];
export type PredictProgress = EventPayload<'predict.progress'>;
export type SortOrder = 'confidence-desc' | 'confidence-asc' | 'file';

/** A run can predict once it has a saved model: a validated epoch, or (an ensemble) its members finished. */
export function canPredict(run: Pick<RunView, 'kind' | 'bestEpoch' | 'status'>): boolean {
  if (run.kind === 'member') return false; // predicted through its ensemble
  return run.kind === 'ensemble' ? run.status === 'completed' || run.bestEpoch !== null : run.bestEpoch !== null;
}

/** The runs offered, newest first. */
export function predictableRuns(runs: readonly RunView[]): RunView[] {
  return runs.filter(canPredict).sort((a, b) => b.id - a.id);
}

/** The run chosen first: the one asked for if it can predict, else the newest completed run, else the newest usable. */
export function defaultPredictRun(runs: readonly RunView[], requested: number | null): number | null {
  const usable = predictableRuns(runs);
  if (requested !== null && usable.some((r) => r.id === requested)) return requested;
  return (usable.find((r) => r.status === 'completed') ?? usable[0])?.id ?? null;
}

export function runLabel(run: Pick<RunView, 'id' | 'name' | 'kind' | 'bestValAccuracy'>): string {
  const acc = run.bestValAccuracy === null || !Number.isFinite(run.bestValAccuracy) ? '' : ` · ${pct(run.bestValAccuracy)} on validation`;
  return `${run.name}${run.kind === 'ensemble' ? ' (ensemble)' : ''} — run ${run.id}${acc}`;
}

/** "87.5%"; "—" for a missing number. */
export function pct(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(1).replace(/\.0$/, '')}%`;
}

export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** The table's rows in the chosen order; images that could not be predicted always come last, by file. */
export function sortPredictions(results: readonly PredictionView[], order: SortOrder): PredictionView[] {
  const ok = results.filter((r) => r.ok);
  const failed = results.filter((r) => !r.ok).sort((a, b) => a.path.localeCompare(b.path));
  const byFile = (a: PredictionView, b: PredictionView) => a.path.localeCompare(b.path);
  if (order === 'file') ok.sort(byFile);
  else {
    const sign = order === 'confidence-desc' ? -1 : 1;
    ok.sort((a, b) => sign * ((a.confidence ?? 0) - (b.confidence ?? 0)) || byFile(a, b));
  }
  return [...ok, ...failed];
}

export interface Bar {
  className: string;
  probability: number;
  /** CSS width, 0–100. */
  width: number;
  predicted: boolean;
}

/** One bar per class, in the model's class order. */
export function probabilityBars(result: PredictionView, classes: readonly string[]): Bar[] {
  if (!result.probabilities) return [];
  return classes.map((c) => {
    const p = result.probabilities![c] ?? 0;
    return { className: c, probability: p, width: Math.max(0, Math.min(100, p * 100)), predicted: c === result.predicted };
  });
}

export function modelText(model: PredictResultView['model']): string {
  const epochs = model.checkpointEpochs.join(', ');
  return model.kind === 'ensemble'
    ? `${model.runName}: the average of ${model.members} members (best checkpoints, epochs ${epochs})`
    : `${model.runName}: best checkpoint (epoch ${epochs})`;
}

export function summaryText(summary: PredictResultView['summary']): string {
  const predicted = summary.images - summary.failed;
  const base = `${plural(predicted, 'image')} predicted`;
  return summary.failed === 0 ? base : `${base}; ${formatCount(summary.failed)} could not be read (reason in the table)`;
}

export function progressText(p: PredictProgress | null): string {
  if (!p) return 'Starting…';
  switch (p.phase) {
    case 'reading':
      return `Reading images: ${formatCount(p.done)} of ${formatCount(p.total)}`;
    case 'features':
      return `Computing backbone features: ${formatCount(p.done)} of ${formatCount(p.total)}`;
    case 'predicting':
      return `Predicting: ${formatCount(p.done)} of ${formatCount(p.total)}`;
    case 'done':
      return 'Done';
    case 'failed':
      return `Failed: ${p.error ?? 'unknown error'}`;
  }
}

/** What "Add to project as suggestions" sends: each chosen, predicted image with its predicted class. */
export function suggestionsFor(results: readonly PredictionView[], chosen: ReadonlySet<string>): { path: string; className: string; confidence: number }[] {
  return results
    .filter((r) => r.ok && chosen.has(r.path) && r.predicted !== null)
    .map((r) => ({ path: r.path, className: r.predicted!, confidence: r.confidence ?? 0 }));
}

/** Paths typed into the box: one per line; blank lines dropped, duplicates once. */
export function parsePathList(text: string): string[] {
  return [...new Set(text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== ''))];
}

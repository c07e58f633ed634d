// The numbers behind the Train screen's curves: a run's epochs and (thinned) batches
// turned into the column arrays uPlot draws. Pure functions, no DOM and no uPlot at run
// time, so they are unit-tested on their own and cost O(n log n) per redraw.
//
// One x axis for both curves, in epochs: epoch e's summary sits at x = e, and batch b
// of B in epoch e at x = (e - 1) + b / B, so an epoch's last batch lands on its point.

/** One epoch's summary, as `runs.get` and the epoch events carry it (null: not a number). */
export interface EpochPoint {
  epoch: number;
  trainLoss: number | null;
  trainAccuracy: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
}

/** One training batch's loss, as `runs.get` (thinned) and the batch events carry it. */
export interface BatchPoint {
  epoch: number;
  batch: number;
  loss: number | null;
  accuracy: number | null;
}

/** A vertical line on the curves: the epoch whose weights are kept, and where early stopping ended the run. */
export interface ChartMarker {
  x: number;
  kind: 'best' | 'early-stop';
  label: string;
}

type Column = (number | null)[];

/**
 * Weight of the past in the per-batch loss's moving average: 0.9 means each shown
 * point is ~90% the previous smoothed value and 10% the new batch, i.e. it averages
 * roughly the last 10 points (1 / (1 - 0.9)). Batch losses jump with every batch's
 * random images; 0.9 keeps the trend readable without lagging an epoch behind. On a
 * stored run the points are every n-th batch, so the window spans ~10 stored points.
 */
export const BATCH_LOSS_SMOOTHING = 0.9;

/** Live batches kept for the curve before halving: uPlot draws this many points in well under a frame. */
export const MAX_LIVE_BATCH_POINTS = 4000;

/**
 * Exponential moving average, debiased like TensorBoard's: the first values are not
 * pulled toward 0 by the empty start (dividing by 1 - factor^n). A null (a NaN loss)
 * stays null and does not move the average.
 */
export function smoothEma(values: readonly (number | null)[], factor = BATCH_LOSS_SMOOTHING): Column {
  if (!(factor >= 0 && factor < 1)) throw new RangeError(`smoothing factor must be in [0, 1), got ${factor}`);
  const out: Column = new Array<number | null>(values.length);
  let avg = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      out[i] = null;
      continue;
    }
    avg = factor * avg + (1 - factor) * v;
    n++;
    out[i] = avg / (1 - factor ** n);
  }
  return out;
}

/** Batches per epoch: the largest batch number seen, or the live events' count when larger. */
export function batchesPerEpochOf(batches: readonly BatchPoint[], hint: number | null = null): number {
  let most = hint ?? 0;
  for (const b of batches) if (b.batch > most) most = b.batch;
  return Math.max(1, most);
}

/** Where a batch sits on the epoch axis. */
export function batchX(b: BatchPoint, batchesPerEpoch: number): number {
  return b.epoch - 1 + Math.min(b.batch, batchesPerEpoch) / batchesPerEpoch;
}

/**
 * The band between training and validation loss: its upper and lower edge per point
 * (whichever is higher), so the fill is drawn whether validation loss is above
 * (the usual gap) or below training loss. Null where either loss is missing.
 */
export function gapBounds(train: readonly (number | null)[], val: readonly (number | null)[]): { upper: Column; lower: Column } {
  const upper: Column = [];
  const lower: Column = [];
  for (let i = 0; i < train.length; i++) {
    const t = train[i] ?? null;
    const v = val[i] ?? null;
    if (t === null || v === null) {
      upper.push(null);
      lower.push(null);
    } else {
      upper.push(Math.max(t, v));
      lower.push(Math.min(t, v));
    }
  }
  return { upper, lower };
}

/** The best epoch, and the last epoch when early stopping ended the run. */
export function markersOf(bestEpoch: number | null, stoppedEarly: boolean, epochsRun: number): ChartMarker[] {
  const out: ChartMarker[] = [];
  if (bestEpoch !== null && bestEpoch > 0) out.push({ x: bestEpoch, kind: 'best', label: `best: epoch ${bestEpoch}` });
  if (stoppedEarly && epochsRun > 0) out.push({ x: epochsRun, kind: 'early-stop', label: 'stopped early' });
  return out;
}

/**
 * The loss chart's columns: [x, gap upper, gap lower, smoothed batch loss, training
 * loss, validation loss] (the gap first: uPlot draws in order, so its shading lies
 * under the lines). Batches and epochs are merged onto one sorted x (uPlot wants
 * aligned columns); a series has null where it has no point and spans the gaps.
 */
export function lossChartData(
  epochs: readonly EpochPoint[],
  batches: readonly BatchPoint[],
  batchesPerEpoch: number,
  smoothing = BATCH_LOSS_SMOOTHING,
): [number[], Column, Column, Column, Column, Column] {
  const smooth = smoothEma(
    batches.map((b) => b.loss),
    smoothing,
  );
  const bx = batches.map((b) => batchX(b, batchesPerEpoch));
  const xs = [...new Set([...bx, ...epochs.map((e) => e.epoch)])].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const empty = (): Column => new Array<number | null>(xs.length).fill(null);
  const batchLoss = empty();
  const trainLoss = empty();
  const valLoss = empty();
  bx.forEach((x, i) => {
    batchLoss[at.get(x)!] = smooth[i] ?? null;
  });
  for (const e of epochs) {
    const i = at.get(e.epoch)!;
    trainLoss[i] = finite(e.trainLoss);
    valLoss[i] = finite(e.valLoss);
  }
  const { upper, lower } = gapBounds(trainLoss, valLoss);
  return [xs, upper, lower, batchLoss, trainLoss, valLoss];
}

/** The accuracy chart's columns: [epoch, training accuracy, validation accuracy], as fractions. */
export function accuracyChartData(epochs: readonly EpochPoint[]): [number[], Column, Column] {
  const sorted = [...epochs].sort((a, b) => a.epoch - b.epoch);
  return [sorted.map((e) => e.epoch), sorted.map((e) => finite(e.trainAccuracy)), sorted.map((e) => finite(e.valAccuracy))];
}

/**
 * Adds a live batch to the kept ones. Batches arrive in order; one at or before the
 * newest kept means the run resumed from an earlier checkpoint, so the later ones go.
 * Past `max` points every other one is dropped (the newest always stays), keeping the
 * curve's shape at a bounded cost however long the run.
 */
export function appendBatch(kept: readonly BatchPoint[], b: BatchPoint, max = MAX_LIVE_BATCH_POINTS): BatchPoint[] {
  let end = kept.length;
  while (end > 0 && !isBefore(kept[end - 1]!, b)) end--;
  const next = kept.slice(0, end);
  next.push(b);
  if (next.length <= max) return next;
  const halved = next.filter((_, i) => i % 2 === 0 || i === next.length - 1);
  return halved;
}

function isBefore(a: BatchPoint, b: BatchPoint): boolean {
  return a.epoch < b.epoch || (a.epoch === b.epoch && a.batch < b.batch);
}

function finite(x: number | null): number | null {
  return x !== null && Number.isFinite(x) ? x : null;
}

// The numbers behind the Runs screen's overlaid curves: one metric of several runs, which
// ran different numbers of epochs (or skipped validation on some), put on one shared
// epoch axis as uPlot's aligned columns. Pure, unit-tested.
import type { EpochPoint } from '../train/charts/chart-data.js';

export type OverlayMetric = 'valLoss' | 'valAccuracy' | 'trainLoss';

type Column = (number | null)[];

/** What each overlaid chart shows, in words. */
export const OVERLAY_METRICS: readonly { metric: OverlayMetric; title: string; hint: string; kind: 'loss' | 'accuracy' }[] = [
  { metric: 'valLoss', title: 'Validation loss', hint: 'lower is better', kind: 'loss' },
  { metric: 'valAccuracy', title: 'Validation accuracy', hint: 'higher is better', kind: 'accuracy' },
  { metric: 'trainLoss', title: 'Training loss', hint: 'far below validation loss: memorising', kind: 'loss' },
];

/**
 * Distinct colours for up to ten runs, told apart also by people with the common
 * red-green colour blindness (Okabe–Ito first, then Tableau's); past ten they repeat.
 */
export const RUN_COLOURS: readonly string[] = [
  '#0072b2',
  '#d55e00',
  '#009e73',
  '#cc79a7',
  '#e69f00',
  '#56b4e9',
  '#000000',
  '#8c564b',
  '#7f7f7f',
  '#bcbd22',
];

export function runColour(index: number): string {
  return RUN_COLOURS[((index % RUN_COLOURS.length) + RUN_COLOURS.length) % RUN_COLOURS.length]!;
}

/**
 * [epochs, run 1's values, run 2's values, …]: x is every epoch any run has, sorted;
 * a run has null at an epoch it did not reach or where the metric was not a number
 * (uPlot leaves a gap there, or bridges it with spanGaps).
 */
export function overlayData(runs: readonly (readonly EpochPoint[])[], metric: OverlayMetric): [number[], ...Column[]] {
  const xs = [...new Set(runs.flatMap((epochs) => epochs.map((e) => e.epoch)))].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const columns = runs.map((epochs) => {
    const col: Column = new Array<number | null>(xs.length).fill(null);
    for (const e of epochs) {
      const v = e[metric];
      col[at.get(e.epoch)!] = v !== null && Number.isFinite(v) ? v : null;
    }
    return col;
  });
  return [xs, ...columns];
}

/** The x axis's last epoch: the longest run's, at least 1. */
export function overlayXMax(data: readonly [number[], ...Column[]]): number {
  return Math.max(1, data[0].at(-1) ?? 0);
}

/**
 * The colour for a run newly added to the comparison: the first one no compared run has,
 * so a run keeps its colour while others come and go.
 */
export function freeColourIndex(taken: Iterable<number>): number {
  const used = new Set(taken);
  for (let i = 0; i < RUN_COLOURS.length; i++) if (!used.has(i)) return i;
  return used.size;
}

// How an overlaid chart of the Runs screen looks: one line per compared run in its own
// colour, the same axes as the Train screen's charts (the app's palette), a legend that
// names the runs and shows their values under the cursor, and the cursor shared by the
// three charts so one epoch can be read across all of them.
import type uPlot from 'uplot';
import { axisMaker, type Palette } from '../train/charts/uplot-options.js';

export interface OverlaySeries {
  label: string;
  colour: string;
}

/** The charts hovering together: moving over one moves the cursor on the others. */
export const OVERLAY_SYNC_KEY = 'runs-overlay';

/** Value as the legend reads it under the cursor. */
export function legendValue(kind: 'loss' | 'accuracy', v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return kind === 'accuracy' ? `${(v * 100).toFixed(1)}%` : v.toFixed(3);
}

export function overlayOptions(
  kind: 'loss' | 'accuracy',
  runs: readonly OverlaySeries[],
  size: { width: number; height: number },
  xMax: () => number,
  palette: Palette,
): uPlot.Options {
  const axis = axisMaker(palette);
  return {
    width: size.width,
    height: size.height,
    legend: { show: true, live: true },
    padding: [10, 12, 0, 0],
    // Only the epoch line: the charts' y scales differ, so a shared horizontal line would mislead.
    cursor: { drag: { x: false, y: false }, y: false, sync: { key: OVERLAY_SYNC_KEY } },
    series: [
      { label: 'Epoch', value: (_u, v) => (v === null || v === undefined ? '—' : String(v)) },
      ...runs.map(
        (r): uPlot.Series => ({
          label: r.label,
          stroke: r.colour,
          width: 2,
          spanGaps: true,
          points: { show: true, size: 5, fill: r.colour },
          value: (_u, v) => legendValue(kind, v),
        }),
      ),
    ],
    scales: {
      x: { time: false, range: () => [0, Math.max(1, xMax())] },
      y:
        kind === 'accuracy'
          ? { range: [0, 1.04] }
          : { range: (_u, _min, max) => [0, Number.isFinite(max) && max > 0 ? max * 1.08 : 1] },
    },
    axes: [
      { ...axis('Epoch'), incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500], size: 28, labelGap: 0 },
      kind === 'accuracy' ? axis('Accuracy', (_u, splits) => splits.map((v) => `${Math.round(v * 100)}%`)) : axis('Loss'),
    ],
  };
}

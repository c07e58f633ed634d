// How the Train screen's two charts look: series, axes, the shaded train/validation gap
// and the marker lines, as uPlot options. The markers are read from a box at draw
// time, like the x span, so changes need only a redraw (setData), never a new chart.
import type uPlot from 'uplot';
import type { ChartMarker } from './chart-data.js';

export type ChartKind = 'loss' | 'accuracy';

/** CSS pixels above the plot area where the marker labels go. */
const MARKER_LABEL_SPACE = 18;

/** What a chart reads on its next redraw besides the data: its markers and the last epoch its x axis shows. */
export interface ChartExtras {
  markers: ChartMarker[];
  xMax: number;
}

/** Colours of the curves; the axis and marker colours come from the app's CSS variables. */
export const SERIES_COLOURS = {
  train: '#2456c4',
  batch: 'rgba(36, 86, 196, 0.35)',
  val: '#d9480f',
  gap: 'rgba(217, 72, 15, 0.13)',
} as const;

export interface Palette {
  text: string;
  muted: string;
  grid: string;
  best: string;
  earlyStop: string;
  font: string;
}

/**
 * An element as far as its computed style goes. Typed by shape, not as the DOM's Element,
 * so this file also loads under Node's types (unit tests import it); any element fits.
 */
export interface StyledElement {
  ownerDocument: { defaultView: { getComputedStyle(el: never): { getPropertyValue(name: string): string } } | null };
}

/** The app's colours where the chart is (a canvas cannot read CSS variables itself). */
export function paletteOf(el: StyledElement): Palette {
  const css = el.ownerDocument.defaultView?.getComputedStyle(el as never);
  const v = (name: string, fallback: string) => css?.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text', '#1c222b'),
    muted: v('--muted', '#566070'),
    grid: v('--border', '#d8dce2'),
    best: v('--success', '#1b7a3a'),
    earlyStop: v('--danger', '#b3261e'),
    font: v('--font', 'system-ui, sans-serif'),
  };
}

const line = (label: string, stroke: string, width: number, dots: boolean): uPlot.Series => ({
  label,
  stroke,
  width,
  spanGaps: true,
  points: { show: dots, size: 5, fill: stroke },
});

/** A hidden edge of the gap band: no line of its own, just the shape the band fills. */
const bandEdge = (label: string): uPlot.Series => ({ label, stroke: 'transparent', width: 0, spanGaps: true, points: { show: false } });

function series(kind: ChartKind): uPlot.Series[] {
  if (kind === 'accuracy') {
    return [{ label: 'Epoch' }, line('Training accuracy', SERIES_COLOURS.train, 2, true), line('Validation accuracy', SERIES_COLOURS.val, 2, true)];
  }
  return [
    { label: 'Epoch' },
    bandEdge('Gap (upper)'),
    bandEdge('Gap (lower)'),
    line('Training loss per batch (smoothed)', SERIES_COLOURS.batch, 1.25, false),
    line('Training loss', SERIES_COLOURS.train, 2, true),
    line('Validation loss', SERIES_COLOURS.val, 2, true),
  ];
}

/** An axis in the app's chart style (its colours and font from the palette); shared by every chart. */
export function axisMaker(palette: Palette): (label: string, values?: uPlot.Axis['values']) => uPlot.Axis {
  const font = `11px ${palette.font}`;
  return (label, values) => ({
    label,
    stroke: palette.muted,
    font,
    labelFont: font,
    labelSize: 18,
    grid: { stroke: palette.grid, width: 1 },
    ticks: { stroke: palette.grid, width: 1 },
    ...(values ? { values } : {}),
  });
}

export function chartOptions(kind: ChartKind, size: { width: number; height: number }, extras: ChartExtras, palette: Palette): uPlot.Options {
  const axis = axisMaker(palette);
  return {
    width: size.width,
    height: size.height,
    legend: { show: false },
    // Room above the plot for the marker labels, so they never sit on a curve.
    padding: [MARKER_LABEL_SPACE, 12, 0, 0],
    cursor: { drag: { x: false, y: false } },
    series: series(kind),
    ...(kind === 'loss' ? { bands: [{ series: [1, 2], fill: SERIES_COLOURS.gap }] } : {}),
    scales: {
      // The same span on both charts so their epochs line up one above the other.
      x: { time: false, range: () => [0, Math.max(1, extras.xMax)] },
      y:
        kind === 'accuracy'
          ? { range: [0, 1.04] } // a little over 100%: a point at 100% is not cut in half
          : { range: (_u, _min, max) => [0, Number.isFinite(max) && max > 0 ? max * 1.08 : 1] },
    },
    axes: [
      { ...axis('Epoch'), incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500], size: 28, labelGap: 0 },
      kind === 'accuracy' ? axis('Accuracy', (_u, splits) => splits.map((v) => `${Math.round(v * 100)}%`)) : axis('Loss'),
    ],
    hooks: { draw: [(u) => drawMarkers(u, extras.markers, palette)] },
  };
}

/** Dashed vertical lines with a short label at the top, over the plot area. */
function drawMarkers(u: uPlot, markers: readonly ChartMarker[], palette: Palette): void {
  if (markers.length === 0) return;
  const { ctx, bbox } = u;
  // uPlot sizes its canvas in device pixels: their ratio to the CSS width is the pixel ratio
  // (read here rather than from window, so this file needs no DOM and loads under Node).
  const dpr = u.width > 0 ? ctx.canvas.width / u.width : 1;
  ctx.save();
  ctx.font = `${11 * dpr}px ${palette.font}`;
  ctx.textBaseline = 'top';
  let taken = -Infinity; // right edge of the previous label above the plot
  for (const m of markers) {
    const x = Math.round(u.valToPos(m.x, 'x', true));
    if (x < bbox.left || x > bbox.left + bbox.width) continue;
    const colour = m.kind === 'best' ? palette.best : palette.earlyStop;
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    ctx.lineWidth = 1.5 * dpr;
    ctx.setLineDash([4 * dpr, 3 * dpr]);
    ctx.beginPath();
    ctx.moveTo(x, bbox.top);
    ctx.lineTo(x, bbox.top + bbox.height);
    ctx.stroke();
    // The label above the plot, centred on its line and kept inside the canvas; if it
    // would run into the previous one (best and stop epochs close), inside the plot
    // at the top, beside its line.
    const w = ctx.measureText(m.label).width;
    const tx = Math.min(Math.max(x - w / 2, 0), ctx.canvas.width - w);
    if (tx >= taken + 6 * dpr) {
      ctx.fillText(m.label, tx, bbox.top - (MARKER_LABEL_SPACE - 3) * dpr);
      taken = tx + w;
    } else {
      const beside = x + 4 * dpr + w > bbox.left + bbox.width ? x - 4 * dpr - w : x + 4 * dpr;
      ctx.fillText(m.label, beside, bbox.top + 4 * dpr);
    }
  }
  ctx.restore();
}

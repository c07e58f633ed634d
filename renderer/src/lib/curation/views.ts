// "Look at your data": the views, in the order the screen lists them, and how each
// view's numbers read in plain words.
import { formatBytes, formatCount } from '../format.js';

export type ExtremeView = {
  kind: 'extremes';
  measure: 'bytes' | 'pixels' | 'aspect';
  end: 'smallest' | 'largest';
};
export type LookView =
  | { kind: 'sample' }
  | ExtremeView
  | { kind: 'histogram' }
  | { kind: 'exact' }
  | { kind: 'near' }
  | { kind: 'conflicts' }
  | { kind: 'bad' };

export interface LookEntry {
  id: string;
  label: string;
  hint: string;
  view: LookView;
}

export const LOOK_VIEWS: LookEntry[] = [
  { id: 'sample', label: 'Random sample', hint: 'A fair look at what you have', view: { kind: 'sample' } },
  { id: 'histogram', label: 'Class balance', hint: 'How many images each class has', view: { kind: 'histogram' } },
  {
    id: 'bytes-smallest',
    label: 'Smallest files',
    hint: 'Tiny files are often broken or placeholder images',
    view: { kind: 'extremes', measure: 'bytes', end: 'smallest' },
  },
  {
    id: 'bytes-largest',
    label: 'Largest files',
    hint: 'Very large files may be scans or panoramas',
    view: { kind: 'extremes', measure: 'bytes', end: 'largest' },
  },
  {
    id: 'pixels-smallest',
    label: 'Lowest resolution',
    hint: 'Too few pixels to see the object',
    view: { kind: 'extremes', measure: 'pixels', end: 'smallest' },
  },
  {
    id: 'pixels-largest',
    label: 'Highest resolution',
    hint: 'The most pixels',
    view: { kind: 'extremes', measure: 'pixels', end: 'largest' },
  },
  {
    id: 'aspect-smallest',
    label: 'Tallest shapes',
    hint: 'The narrowest, tallest pictures',
    view: { kind: 'extremes', measure: 'aspect', end: 'smallest' },
  },
  {
    id: 'aspect-largest',
    label: 'Widest shapes',
    hint: 'The widest pictures (banners, panoramas)',
    view: { kind: 'extremes', measure: 'aspect', end: 'largest' },
  },
  { id: 'exact', label: 'Exact duplicates', hint: 'The same file more than once', view: { kind: 'exact' } },
  { id: 'near', label: 'Near duplicates', hint: 'Pictures that look almost the same', view: { kind: 'near' } },
  { id: 'conflicts', label: 'Conflicting labels', hint: 'The same picture with different classes', view: { kind: 'conflicts' } },
  { id: 'bad', label: 'Files that failed', hint: 'Files the imports could not read', view: { kind: 'bad' } },
];

/** A tile's caption in an extremes view: the number it was sorted by. */
export function formatMeasure(measure: ExtremeView['measure'], value: number, width: number, height: number): string {
  if (measure === 'bytes') return formatBytes(value);
  if (measure === 'pixels') return `${formatCount(width)} × ${formatCount(height)} px`;
  if (!Number.isFinite(value) || value <= 0) return '—';
  return value >= 1 ? `${trim(value)} : 1 (wide)` : `1 : ${trim(1 / value)} (tall)`;
}

function trim(x: number): string {
  return x >= 10 ? x.toFixed(0) : x.toFixed(1).replace(/\.0$/, '');
}

/** A share (0–1) as a percent for the histogram: one decimal below 10 %. */
export function formatShare(share: number): string {
  if (!Number.isFinite(share) || share <= 0) return '0 %';
  const p = share * 100;
  return `${p < 10 ? p.toFixed(1).replace(/\.0$/, '') : Math.round(p)} %`;
}

/** The bar's width in percent of the largest class (at least a sliver when the class has images). */
export function barWidth(count: number, largest: number): number {
  if (largest <= 0 || count <= 0) return 0;
  return Math.max(1, Math.round((count / largest) * 1000) / 10);
}

/** The imbalance ratio in words: "8.5 ×". */
export function formatRatio(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return '—';
  return `${ratio >= 10 ? Math.round(ratio) : ratio.toFixed(1).replace(/\.0$/, '')} ×`;
}

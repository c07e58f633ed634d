// The arithmetic of the thumbnail grid: how many tiles fit in a row, which images a
// row holds, which rows are on screen and where the arrow keys move the selection.
// Pure functions, unit-tested; the component only measures and renders.

export interface GridGeometry {
  /** Width and height of one tile in CSS pixels. */
  tile: number;
  /** Space between tiles (and between rows). */
  gap: number;
  /** Inner padding of the grid on the left and right. */
  padding: number;
}

/** How many tiles fit in a grid `width` pixels wide: always at least one. */
export function columnsFor(width: number, g: GridGeometry): number {
  const usable = width - 2 * g.padding;
  if (!(usable > 0)) return 1;
  return Math.max(1, Math.floor((usable + g.gap) / (g.tile + g.gap)));
}

/** Height of one row: a tile plus the gap below it. */
export function rowHeight(g: GridGeometry): number {
  return g.tile + g.gap;
}

export function rowCount(total: number, columns: number): number {
  if (total <= 0 || columns <= 0) return 0;
  return Math.ceil(total / columns);
}

/** The image indexes of one row: [start, end). The last row may be short. */
export function rowItems(row: number, columns: number, total: number): { start: number; end: number } {
  const start = row * columns;
  return { start: Math.min(start, total), end: Math.min(start + columns, total) };
}

/** The row that holds image `index`. */
export function rowOf(index: number, columns: number): number {
  return Math.floor(index / Math.max(1, columns));
}

/**
 * The rows the viewport shows at `scrollTop` (both inclusive), widened by `overscan`
 * rows on each side, clamped to the grid. Empty grid: { first: 0, last: -1 }.
 */
export function visibleRows(
  scrollTop: number,
  viewportHeight: number,
  rowH: number,
  rows: number,
  overscan = 0,
): { first: number; last: number } {
  if (rows <= 0 || rowH <= 0) return { first: 0, last: -1 };
  const top = Math.max(0, scrollTop);
  const first = Math.max(0, Math.floor(top / rowH) - overscan);
  const last = Math.min(rows - 1, Math.ceil((top + Math.max(0, viewportHeight)) / rowH) - 1 + overscan);
  return { first: Math.min(first, rows - 1), last: Math.max(last, Math.min(first, rows - 1)) };
}

/** The image indexes [start, end) that rows first..last (inclusive) hold. */
export function indexesOfRows(first: number, last: number, columns: number, total: number): { start: number; end: number } {
  if (last < first) return { start: 0, end: 0 };
  return { start: Math.min(first * columns, total), end: Math.min((last + 1) * columns, total) };
}

export type GridKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End' | 'PageUp' | 'PageDown';

export function isGridKey(key: string): key is GridKey {
  return (
    key === 'ArrowLeft' ||
    key === 'ArrowRight' ||
    key === 'ArrowUp' ||
    key === 'ArrowDown' ||
    key === 'Home' ||
    key === 'End' ||
    key === 'PageUp' ||
    key === 'PageDown'
  );
}

/**
 * Where a key moves the selection. Left/right step through images in reading order
 * (wrapping across rows), up/down move one row and keep the column (down from the
 * row above a short last row lands on its last image), Home/End go to the first and
 * last image, PageUp/PageDown move `pageRows` rows. With nothing selected any key
 * selects the first image. Returns null when the grid is empty.
 */
export function moveSelection(
  current: number | null,
  key: GridKey,
  columns: number,
  total: number,
  pageRows = 1,
): number | null {
  if (total <= 0) return null;
  const last = total - 1;
  if (current === null || current < 0) return key === 'End' ? last : 0;
  const at = Math.min(current, last);
  const cols = Math.max(1, columns);
  const page = Math.max(1, pageRows) * cols;
  switch (key) {
    case 'ArrowLeft':
      return Math.max(0, at - 1);
    case 'ArrowRight':
      return Math.min(last, at + 1);
    case 'ArrowUp':
      return at - cols >= 0 ? at - cols : at;
    case 'ArrowDown':
      if (at + cols <= last) return at + cols;
      // On the row above a short last row: go to its last image rather than nowhere.
      return rowOf(at, cols) < rowOf(last, cols) ? last : at;
    case 'Home':
      return 0;
    case 'End':
      return last;
    case 'PageUp':
      return at - page >= 0 ? at - page : at % cols;
    case 'PageDown':
      return at + page <= last ? at + page : Math.min(last, rowOf(last, cols) * cols + (at % cols));
  }
}

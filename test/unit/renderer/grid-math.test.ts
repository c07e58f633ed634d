import { describe, expect, it } from 'vitest';
import {
  columnsFor,
  indexesOfRows,
  isGridKey,
  moveSelection,
  rowCount,
  rowHeight,
  rowItems,
  rowOf,
  visibleRows,
} from '../../../renderer/src/lib/grid/grid-math.js';

const g = { tile: 148, gap: 10, padding: 16 };

describe('columnsFor', () => {
  it('fits as many tiles as the width allows, gaps between them only', () => {
    // 6 tiles need 6*148 + 5*10 = 938 px plus 32 px of padding.
    expect(columnsFor(970, g)).toBe(6);
    expect(columnsFor(969, g)).toBe(5);
    expect(columnsFor(1040, g)).toBe(6);
  });
  it('is at least one, even when nothing fits or the width is unknown', () => {
    expect(columnsFor(0, g)).toBe(1);
    expect(columnsFor(100, g)).toBe(1);
    expect(columnsFor(Number.NaN, g)).toBe(1);
  });
});

describe('rows', () => {
  it('counts rows, the last one possibly short', () => {
    expect(rowCount(0, 6)).toBe(0);
    expect(rowCount(24, 6)).toBe(4);
    expect(rowCount(25, 6)).toBe(5);
    expect(rowCount(100_000, 7)).toBe(14_286);
    expect(rowHeight(g)).toBe(158);
  });
  it('gives each row its image indexes', () => {
    expect(rowItems(0, 6, 25)).toEqual({ start: 0, end: 6 });
    expect(rowItems(4, 6, 25)).toEqual({ start: 24, end: 25 });
    expect(rowItems(9, 6, 25)).toEqual({ start: 25, end: 25 });
    expect(rowOf(24, 6)).toBe(4);
    expect(rowOf(5, 6)).toBe(0);
  });
});

describe('visibleRows', () => {
  it('covers the viewport, partly visible rows included', () => {
    expect(visibleRows(0, 600, 158, 100)).toEqual({ first: 0, last: 3 });
    expect(visibleRows(158, 600, 158, 100)).toEqual({ first: 1, last: 4 });
    expect(visibleRows(200, 600, 158, 100)).toEqual({ first: 1, last: 5 });
  });
  it('adds overscan and clamps to the grid', () => {
    expect(visibleRows(0, 600, 158, 100, 2)).toEqual({ first: 0, last: 5 });
    expect(visibleRows(158 * 98, 600, 158, 100, 2)).toEqual({ first: 96, last: 99 });
    expect(visibleRows(0, 600, 158, 2)).toEqual({ first: 0, last: 1 });
  });
  it('is empty for an empty grid', () => {
    expect(visibleRows(0, 600, 158, 0)).toEqual({ first: 0, last: -1 });
    expect(indexesOfRows(0, -1, 6, 0)).toEqual({ start: 0, end: 0 });
  });
  it('maps rows to image indexes', () => {
    expect(indexesOfRows(2, 4, 6, 100)).toEqual({ start: 12, end: 30 });
    expect(indexesOfRows(15, 16, 6, 100)).toEqual({ start: 90, end: 100 });
  });
});

describe('moveSelection', () => {
  // 6 columns, 25 images: rows of 6, 6, 6, 6 and a last row with just index 24.
  const move = (from: number | null, key: Parameters<typeof moveSelection>[1], pageRows = 1) =>
    moveSelection(from, key, 6, 25, pageRows);

  it('recognises the keys it handles', () => {
    expect(isGridKey('ArrowDown')).toBe(true);
    expect(isGridKey('Enter')).toBe(false);
  });
  it('selects the first (or with End the last) image when nothing is selected', () => {
    expect(move(null, 'ArrowDown')).toBe(0);
    expect(move(null, 'End')).toBe(24);
  });
  it('moves left and right in reading order, stopping at the ends', () => {
    expect(move(5, 'ArrowRight')).toBe(6);
    expect(move(6, 'ArrowLeft')).toBe(5);
    expect(move(0, 'ArrowLeft')).toBe(0);
    expect(move(24, 'ArrowRight')).toBe(24);
  });
  it('moves up and down a row keeping the column', () => {
    expect(move(8, 'ArrowDown')).toBe(14);
    expect(move(14, 'ArrowUp')).toBe(8);
    expect(move(3, 'ArrowUp')).toBe(3);
  });
  it('goes down onto a short last row instead of stopping', () => {
    expect(move(21, 'ArrowDown')).toBe(24);
    expect(move(24, 'ArrowDown')).toBe(24);
  });
  it('jumps with Home, End, PageUp and PageDown', () => {
    expect(move(13, 'Home')).toBe(0);
    expect(move(13, 'End')).toBe(24);
    expect(move(2, 'PageDown', 2)).toBe(14);
    expect(move(14, 'PageDown', 2)).toBe(24);
    expect(move(20, 'PageUp', 2)).toBe(8);
    expect(move(9, 'PageUp', 2)).toBe(3);
  });
  it('returns null for an empty grid and clamps a stale selection', () => {
    expect(moveSelection(3, 'ArrowRight', 6, 0)).toBeNull();
    expect(moveSelection(40, 'ArrowLeft', 6, 25)).toBe(23);
  });
});

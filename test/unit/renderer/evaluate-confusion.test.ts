// The Evaluate screen's confusion matrix: row-normalised shares, totals, the words a
// screen reader says for a cell, the shading and ink, and arrow-key moves between cells.
import { describe, expect, it } from 'vitest';
import { cellInk, cellLabel, cellShade, matrixView, moveCell, shareText } from '../../../renderer/src/views/evaluate/confusion.js';

const confusion = {
  classes: ['circle', 'square', 'triangle'],
  matrix: [
    [8, 2, 0],
    [1, 3, 0],
    [0, 0, 0],
  ],
};

describe('matrixView', () => {
  it('normalises each row to its own total and keeps the counts', () => {
    const v = matrixView(confusion);
    expect(v.rows.map((r) => r.total)).toEqual([10, 4, 0]);
    expect(v.rows[0]!.cells.map((c) => c.share)).toEqual([0.8, 0.2, 0]);
    expect(v.rows[1]!.cells.map((c) => c.share)).toEqual([0.25, 0.75, 0]);
    expect(v.rows[1]!.cells.map((c) => c.count)).toEqual([1, 3, 0]);
  });

  it('gives an empty row shares of 0, not NaN', () => {
    const v = matrixView(confusion);
    expect(v.rows[2]!.cells.every((c) => c.share === 0)).toBe(true);
  });

  it('sums the columns (what was predicted) and the whole', () => {
    const v = matrixView(confusion);
    expect(v.columnTotals).toEqual([9, 5, 0]);
    expect(v.total).toBe(14);
  });

  it('marks the diagonal and names both classes in each cell', () => {
    const v = matrixView(confusion);
    const cell = v.rows[0]!.cells[1]!;
    expect(cell).toMatchObject({ actual: 'circle', predicted: 'square', diagonal: false, count: 2 });
    expect(v.rows.map((r, i) => r.cells[i]!.diagonal)).toEqual([true, true, true]);
    expect(cell.label).toBe('actual circle, predicted square: 2 images');
  });

  it('reads a ragged or bad matrix as zeros instead of failing', () => {
    const v = matrixView({ classes: ['a', 'b'], matrix: [[3], [Number.NaN, -2]] });
    expect(v.rows.map((r) => r.cells.map((c) => c.count))).toEqual([
      [3, 0],
      [0, 0],
    ]);
    expect(v.total).toBe(3);
  });
});

describe('cellLabel', () => {
  it('says image or images', () => {
    expect(cellLabel('circle', 'square', 3)).toBe('actual circle, predicted square: 3 images');
    expect(cellLabel('circle', 'circle', 1)).toBe('actual circle, predicted circle: 1 image');
    expect(cellLabel('a', 'b', 1200)).toBe('actual a, predicted b: 1,200 images');
  });
});

describe('cellShade and cellInk', () => {
  it('leaves empty cells blank', () => {
    expect(cellShade({ count: 0, share: 0, diagonal: false })).toBe('transparent');
    expect(cellInk({ count: 0, share: 0 })).toBe('dark');
  });

  it('shades right answers green and mistakes red, stronger for a larger share', () => {
    const right = cellShade({ count: 9, share: 0.9, diagonal: true });
    const wrong = cellShade({ count: 1, share: 0.1, diagonal: false });
    expect(right).toMatch(/^rgb\(27 122 58 \/ \d+%\)$/);
    expect(wrong).toMatch(/^rgb\(179 38 30 \/ \d+%\)$/);
    const alpha = (s: string) => Number(/(\d+)%\)$/.exec(s)![1]);
    expect(alpha(right)).toBeGreaterThan(alpha(wrong));
    expect(alpha(cellShade({ count: 1, share: 0.001, diagonal: false }))).toBeGreaterThanOrEqual(8);
    expect(alpha(cellShade({ count: 5, share: 1, diagonal: true }))).toBeLessThanOrEqual(100);
  });

  it('puts white text on strong shades only', () => {
    expect(cellInk({ count: 9, share: 0.9 })).toBe('light');
    expect(cellInk({ count: 1, share: 0.1 })).toBe('dark');
  });
});

describe('shareText', () => {
  it('rounds to a whole percent and is empty for an empty row', () => {
    expect(shareText({ share: 2 / 3, count: 2 }, 3)).toBe('67%');
    expect(shareText({ share: 0, count: 0 }, 0)).toBe('');
  });
});

describe('moveCell', () => {
  it('moves with the arrows and stops at the edges', () => {
    expect(moveCell({ row: 0, column: 0 }, 'ArrowRight', 3)).toEqual({ row: 0, column: 1 });
    expect(moveCell({ row: 0, column: 2 }, 'ArrowRight', 3)).toEqual({ row: 0, column: 2 });
    expect(moveCell({ row: 0, column: 0 }, 'ArrowUp', 3)).toEqual({ row: 0, column: 0 });
    expect(moveCell({ row: 1, column: 1 }, 'ArrowDown', 3)).toEqual({ row: 2, column: 1 });
    expect(moveCell({ row: 1, column: 1 }, 'ArrowLeft', 3)).toEqual({ row: 1, column: 0 });
  });

  it('jumps to the row ends with Home and End and ignores other keys', () => {
    expect(moveCell({ row: 2, column: 1 }, 'Home', 4)).toEqual({ row: 2, column: 0 });
    expect(moveCell({ row: 2, column: 1 }, 'End', 4)).toEqual({ row: 2, column: 3 });
    expect(moveCell({ row: 0, column: 0 }, 'Enter', 3)).toBeNull();
    expect(moveCell({ row: 0, column: 0 }, 'ArrowRight', 0)).toBeNull();
  });
});

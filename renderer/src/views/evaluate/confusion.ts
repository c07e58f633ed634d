// The confusion matrix as the Evaluate screen draws it: each row (an actual class)
// normalised to its own total so a rare class's mistakes show as strongly as a common
// one's, the diagonal (right answers) told apart from the mistakes, and every cell
// described in words for screen readers. Pure functions: no DOM, no Svelte.
import { formatCount } from '../../lib/format.js';

export interface Confusion {
  /** Class names, in the order of the matrix's rows and columns. */
  classes: string[];
  /** matrix[actual][predicted] = how many images. */
  matrix: number[][];
}

export interface MatrixCell {
  actual: string;
  predicted: string;
  count: number;
  /** count / the row's total (0 for an empty row): what the shading shows. */
  share: number;
  /** Actual and predicted agree: the right answers. */
  diagonal: boolean;
  /** "actual circle, predicted square: 3 images" */
  label: string;
}

export interface MatrixRow {
  actual: string;
  /** How many images of this class were evaluated. */
  total: number;
  cells: MatrixCell[];
}

export interface MatrixView {
  classes: string[];
  rows: MatrixRow[];
  /** How many images were predicted as each class. */
  columnTotals: number[];
  total: number;
}

/** "1 image" / "3 images" */
function images(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'image' : 'images'}`;
}

/** What a screen reader says for a cell: "actual circle, predicted square: 3 images". */
export function cellLabel(actual: string, predicted: string, count: number): string {
  return `actual ${actual}, predicted ${predicted}: ${images(count)}`;
}

/** A count as the matrix holds it; anything that is not a non-negative whole number counts as 0. */
function countAt(matrix: number[][], row: number, column: number): number {
  const value = matrix[row]?.[column];
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}

/** The matrix with its row shares, totals and cell labels. */
export function matrixView(confusion: Confusion): MatrixView {
  const { classes, matrix } = confusion;
  const columnTotals = classes.map(() => 0);
  let total = 0;
  const rows = classes.map((actual, r) => {
    const counts = classes.map((_, c) => countAt(matrix, r, c));
    const rowTotal = counts.reduce((a, b) => a + b, 0);
    total += rowTotal;
    const cells = counts.map((count, c): MatrixCell => {
      columnTotals[c]! += count;
      const predicted = classes[c]!;
      return {
        actual,
        predicted,
        count,
        share: rowTotal > 0 ? count / rowTotal : 0,
        diagonal: r === c,
        label: cellLabel(actual, predicted, count),
      };
    });
    return { actual, total: rowTotal, cells };
  });
  return { classes: [...classes], rows, columnTotals, total };
}

/**
 * The cell's background: right answers in green, mistakes in red, both as strong as the
 * share of the row they hold. An empty cell stays blank, so the eye goes to what happened.
 */
export function cellShade(cell: Pick<MatrixCell, 'count' | 'share' | 'diagonal'>): string {
  if (cell.count === 0) return 'transparent';
  // Never fainter than 8%: one image out of hundreds must still be visible.
  const alpha = Math.min(1, 0.08 + 0.82 * cell.share);
  const rgb = cell.diagonal ? '27 122 58' : '179 38 30';
  return `rgb(${rgb} / ${Math.round(alpha * 100)}%)`;
}

/** White text on the strong shades, dark text on the faint ones (readable contrast either way). */
export function cellInk(cell: Pick<MatrixCell, 'count' | 'share'>): 'light' | 'dark' {
  return cell.count > 0 && 0.08 + 0.82 * cell.share >= 0.5 ? 'light' : 'dark';
}

/** "75%" of the row, for the small line under a count; "" for an empty row. */
export function shareText(cell: Pick<MatrixCell, 'share' | 'count'>, rowTotal: number): string {
  if (rowTotal === 0) return '';
  return `${Math.round(cell.share * 100)}%`;
}

export interface CellPosition {
  row: number;
  column: number;
}

/**
 * Where the arrow keys, Home and End move the focus in a size × size matrix of buttons
 * (a grid is read row by row; the focus stops at the edges). null: the key is not ours.
 */
export function moveCell(at: CellPosition, key: string, size: number): CellPosition | null {
  if (size <= 0) return null;
  const clamp = (n: number) => Math.max(0, Math.min(size - 1, n));
  switch (key) {
    case 'ArrowRight':
      return { row: at.row, column: clamp(at.column + 1) };
    case 'ArrowLeft':
      return { row: at.row, column: clamp(at.column - 1) };
    case 'ArrowDown':
      return { row: clamp(at.row + 1), column: at.column };
    case 'ArrowUp':
      return { row: clamp(at.row - 1), column: at.column };
    case 'Home':
      return { row: at.row, column: 0 };
    case 'End':
      return { row: at.row, column: size - 1 };
    default:
      return null;
  }
}

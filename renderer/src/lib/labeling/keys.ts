// Labeling from the keyboard, as pure functions: which key does what, and where the
// selection goes after a label is given (the range a shift-click covers: range.ts).

/** What a key press asks the Library to do with the selection (or the history). */
export type LabelCommand =
  | { kind: 'assign'; slot: number }
  | { kind: 'unlabel' }
  | { kind: 'undo' }
  | { kind: 'redo' };

/** The parts of a KeyboardEvent that matter here (so tests need no DOM). */
export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** The first nine classes get the keys 1–9, in the sidebar's order. */
export const CLASS_KEYS = 9;

/** The key that labels the class at position `index` of the list, or null past the ninth. */
export function keyOfClass(index: number): string | null {
  return index >= 0 && index < CLASS_KEYS ? String(index + 1) : null;
}

/**
 * 1–9: assign the class at that slot (0-based); 0 or Backspace: unlabeled;
 * Ctrl/Cmd+Z: undo; Ctrl/Cmd+Shift+Z or Ctrl/Cmd+Y: redo. Anything else: null.
 */
export function labelCommandOf(e: KeyLike): LabelCommand | null {
  const mod = e.ctrlKey || e.metaKey;
  if (mod && !e.altKey) {
    const k = e.key.toLowerCase();
    if (k === 'z') return e.shiftKey ? { kind: 'redo' } : { kind: 'undo' };
    if (k === 'y' && !e.shiftKey) return { kind: 'redo' };
    return null;
  }
  if (mod || e.altKey) return null;
  if (e.key === '0' || e.key === 'Backspace') return { kind: 'unlabel' };
  if (/^[1-9]$/.test(e.key)) return { kind: 'assign', slot: Number(e.key) - 1 };
  return null;
}

/**
 * Where the selection goes after one image at `index` got a label. When the grid's
 * filter no longer shows it (the Unlabeled queue, or another class's view), the list
 * shrinks under the selection, so the same index already is the next image; otherwise
 * move one on. Clamped to the grid's new size; null when the grid is empty.
 */
export function indexAfterLabel(index: number, stillShown: boolean, newTotal: number): number | null {
  if (newTotal <= 0) return null;
  const next = stillShown ? index + 1 : index;
  return Math.min(next, newTotal - 1);
}

/** Whether an image with class `classId` still shows under a grid filter on `filterClassId` (undefined: any class). */
export function shownUnder(filterClassId: number | null | undefined, classId: number | null): boolean {
  return filterClassId === undefined || filterClassId === classId;
}

/** Whether the keyboard event came from a place that types text (where digits and Backspace are not commands). */
export function isTypingTarget(tagName: string | undefined, isContentEditable = false): boolean {
  const t = (tagName ?? '').toUpperCase();
  return isContentEditable || t === 'INPUT' || t === 'TEXTAREA' || t === 'SELECT';
}

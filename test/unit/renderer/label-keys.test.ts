import { describe, expect, it } from 'vitest';
import {
  indexAfterLabel,
  isTypingTarget,
  keyOfClass,
  labelCommandOf,
  shownUnder,
} from '../../../renderer/src/lib/labeling/keys.js';
import { rangeParts } from '../../../renderer/src/lib/labeling/range.js';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('labelCommandOf', () => {
  it('maps 1–9 to the first nine class slots', () => {
    expect(labelCommandOf(key('1'))).toEqual({ kind: 'assign', slot: 0 });
    expect(labelCommandOf(key('9'))).toEqual({ kind: 'assign', slot: 8 });
  });
  it('maps 0 and Backspace to unlabeled', () => {
    expect(labelCommandOf(key('0'))).toEqual({ kind: 'unlabel' });
    expect(labelCommandOf(key('Backspace'))).toEqual({ kind: 'unlabel' });
  });
  it('knows undo and both redo shortcuts, with Ctrl or Cmd', () => {
    expect(labelCommandOf(key('z', { ctrlKey: true }))).toEqual({ kind: 'undo' });
    expect(labelCommandOf(key('z', { metaKey: true }))).toEqual({ kind: 'undo' });
    expect(labelCommandOf(key('Z', { ctrlKey: true, shiftKey: true }))).toEqual({ kind: 'redo' });
    expect(labelCommandOf(key('y', { ctrlKey: true }))).toEqual({ kind: 'redo' });
  });
  it('ignores other keys and modified digits', () => {
    expect(labelCommandOf(key('a'))).toBeNull();
    expect(labelCommandOf(key('1', { ctrlKey: true }))).toBeNull();
    expect(labelCommandOf(key('1', { altKey: true }))).toBeNull();
    expect(labelCommandOf(key('z', { ctrlKey: true, altKey: true }))).toBeNull();
    expect(labelCommandOf(key('10'))).toBeNull();
  });
});

describe('keyOfClass', () => {
  it('numbers the first nine classes from 1', () => {
    expect(keyOfClass(0)).toBe('1');
    expect(keyOfClass(8)).toBe('9');
    expect(keyOfClass(9)).toBeNull();
    expect(keyOfClass(-1)).toBeNull();
  });
});

describe('rangeParts (shift-click and drag ranges)', () => {
  // Positions 0–9 and 500–509 are loaded (id = position + 1000); the rest is not.
  const idAt = (i: number) => (i < 10 || (i >= 500 && i < 510) ? i + 1000 : undefined);

  it('covers both ends in either direction, from loaded tiles alone when all are loaded', () => {
    expect(rangeParts(2, 5, idAt)).toEqual({ ids: [1002, 1003, 1004, 1005], missing: [] });
    expect(rangeParts(5, 2, idAt)).toEqual(rangeParts(2, 5, idAt));
    expect(rangeParts(3, 3, idAt)).toEqual({ ids: [1003], missing: [] });
  });

  it('leaves the positions not loaded to be asked for by position, as runs', () => {
    const parts = rangeParts(800, 5, idAt);
    expect(parts.ids).toEqual([1005, 1006, 1007, 1008, 1009, ...Array.from({ length: 10 }, (_, k) => 1500 + k)]);
    expect(parts.missing).toEqual([
      { offset: 10, limit: 490 },
      { offset: 510, limit: 291 },
    ]);
  });

  it('cuts a long run into requests the API accepts', () => {
    const none = () => undefined;
    expect(rangeParts(0, 24, none, 10).missing).toEqual([
      { offset: 0, limit: 10 },
      { offset: 10, limit: 10 },
      { offset: 20, limit: 5 },
    ]);
    const all = rangeParts(0, 99_999, none).missing;
    expect(all.reduce((n, r) => n + r.limit, 0)).toBe(100_000);
  });
});

describe('indexAfterLabel', () => {
  it('moves on when the image still shows', () => {
    expect(indexAfterLabel(3, true, 10)).toBe(4);
    expect(indexAfterLabel(9, true, 10)).toBe(9);
  });
  it('stays put when the image left the list (the queue advances under it)', () => {
    expect(indexAfterLabel(3, false, 9)).toBe(3);
    expect(indexAfterLabel(8, false, 8)).toBe(7);
    expect(indexAfterLabel(0, false, 0)).toBeNull();
  });
});

describe('shownUnder and isTypingTarget', () => {
  it('tells whether a relabeled image stays in the filter', () => {
    expect(shownUnder(undefined, 4)).toBe(true);
    expect(shownUnder(null, 4)).toBe(false);
    expect(shownUnder(null, null)).toBe(true);
    expect(shownUnder(4, 4)).toBe(true);
    expect(shownUnder(4, 5)).toBe(false);
  });
  it('treats text fields as typing targets', () => {
    expect(isTypingTarget('input')).toBe(true);
    expect(isTypingTarget('TEXTAREA')).toBe(true);
    expect(isTypingTarget('SELECT')).toBe(true);
    expect(isTypingTarget('DIV')).toBe(false);
    expect(isTypingTarget('DIV', true)).toBe(true);
    expect(isTypingTarget(undefined)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { answerForKey, formatAccuracy, nextUnanswered } from '../../../renderer/src/lib/quiz/quiz.js';

describe('nextUnanswered', () => {
  it('finds the next open question, wrapping around', () => {
    expect(nextUnanswered([null, null, null])).toBe(0);
    expect(nextUnanswered([1, null, null], 1)).toBe(1);
    expect(nextUnanswered([null, 2, 'not_sure'], 1)).toBe(0);
    expect(nextUnanswered([1, 2, 'not_sure'])).toBeNull();
    expect(nextUnanswered([])).toBeNull();
  });
});

describe('answerForKey', () => {
  it('maps digits to the choices in order and 0 to not sure', () => {
    expect(answerForKey('1', [7, 9])).toBe(7);
    expect(answerForKey('2', [7, 9])).toBe(9);
    expect(answerForKey('3', [7, 9])).toBeNull();
    expect(answerForKey('0', [7, 9])).toBe('not_sure');
    expect(answerForKey('?', [7, 9])).toBe('not_sure');
    expect(answerForKey('a', [7, 9])).toBeNull();
  });
});

describe('formatAccuracy', () => {
  it('rounds to a whole percent and shows a dash before any answer', () => {
    expect(formatAccuracy(0.666)).toBe('67 %');
    expect(formatAccuracy(1)).toBe('100 %');
    expect(formatAccuracy(null)).toBe('—');
  });
});

import { describe, expect, it } from 'vitest';
import { barWidth, formatMeasure, formatRatio, formatShare, LOOK_VIEWS } from '../../../renderer/src/lib/curation/views.js';

describe('LOOK_VIEWS', () => {
  it('has unique ids and every view the screen promises', () => {
    const ids = LOOK_VIEWS.map((v) => v.id);
    expect(new Set(ids).size).toBe(ids.length);
    const kinds = new Set(LOOK_VIEWS.map((v) => v.view.kind));
    expect(kinds).toEqual(new Set(['sample', 'extremes', 'histogram', 'exact', 'near', 'conflicts', 'bad']));
    const extremes = LOOK_VIEWS.flatMap((v) => (v.view.kind === 'extremes' ? [`${v.view.measure}-${v.view.end}`] : []));
    expect(extremes.sort()).toEqual(
      ['aspect-largest', 'aspect-smallest', 'bytes-largest', 'bytes-smallest', 'pixels-largest', 'pixels-smallest'].sort(),
    );
  });
});

describe('formatMeasure', () => {
  it('shows bytes, pixels and aspect ratios in plain words', () => {
    expect(formatMeasure('bytes', 1536, 10, 10)).toBe('1.5 KB');
    expect(formatMeasure('pixels', 1200, 40, 30)).toBe('40 × 30 px');
    expect(formatMeasure('aspect', 2, 200, 100)).toBe('2 : 1 (wide)');
    expect(formatMeasure('aspect', 0.25, 100, 400)).toBe('1 : 4 (tall)');
    expect(formatMeasure('aspect', 12.4, 1240, 100)).toBe('12 : 1 (wide)');
    expect(formatMeasure('aspect', 0, 0, 0)).toBe('—');
  });
});

describe('histogram numbers', () => {
  it('formats shares with one decimal only when small', () => {
    expect(formatShare(0.5)).toBe('50 %');
    expect(formatShare(0.034)).toBe('3.4 %');
    expect(formatShare(0.03)).toBe('3 %');
    expect(formatShare(0)).toBe('0 %');
  });
  it('scales bars to the largest class, keeping a sliver for tiny ones', () => {
    expect(barWidth(50, 100)).toBe(50);
    expect(barWidth(100, 100)).toBe(100);
    expect(barWidth(1, 10_000)).toBe(1);
    expect(barWidth(0, 100)).toBe(0);
    expect(barWidth(5, 0)).toBe(0);
  });
  it('formats the imbalance ratio', () => {
    expect(formatRatio(null)).toBe('—');
    expect(formatRatio(8.46)).toBe('8.5 ×');
    expect(formatRatio(2)).toBe('2 ×');
    expect(formatRatio(123.4)).toBe('123 ×');
  });
});

// Paging through a confusion-matrix cell's images: page boundaries, the range line, and
// steps that never leave the images there are.
import { describe, expect, it } from 'vitest';
import { clampOffset, GALLERY_PAGE_SIZE, pageInfo, stepOffset } from '../../../renderer/src/views/evaluate/gallery-paging.js';

describe('pageInfo', () => {
  it('describes the first, a middle and the last page', () => {
    expect(pageInfo({ offset: 0, limit: 24, total: 57 })).toEqual({
      page: 1,
      pages: 3,
      from: 1,
      to: 24,
      hasPrevious: false,
      hasNext: true,
      text: '1–24 of 57',
    });
    expect(pageInfo({ offset: 24, limit: 24, total: 57 })).toMatchObject({ page: 2, from: 25, to: 48, hasPrevious: true, hasNext: true });
    expect(pageInfo({ offset: 48, limit: 24, total: 57 })).toMatchObject({ page: 3, from: 49, to: 57, hasNext: false, text: '49–57 of 57' });
  });

  it('says "No images" for an empty cell', () => {
    expect(pageInfo({ offset: 0, limit: 24, total: 0 })).toMatchObject({ pages: 1, from: 0, to: 0, hasPrevious: false, hasNext: false, text: 'No images' });
  });

  it('shows the last page when the offset is past the end (the cell shrank)', () => {
    expect(pageInfo({ offset: 96, limit: 24, total: 30 })).toMatchObject({ page: 2, from: 25, to: 30 });
  });

  it('formats large counts', () => {
    expect(pageInfo({ offset: 0, limit: 24, total: 12345 }).text).toBe('1–24 of 12,345');
  });
});

describe('clampOffset', () => {
  it('snaps to a page boundary inside the images', () => {
    expect(clampOffset(30, 100, 24)).toBe(24);
    expect(clampOffset(-5, 100, 24)).toBe(0);
    expect(clampOffset(200, 100, 24)).toBe(96);
    expect(clampOffset(48, 48, 24)).toBe(24);
    expect(clampOffset(10, 0, 24)).toBe(0);
    expect(clampOffset(Number.NaN, 10, 24)).toBe(0);
  });
});

describe('stepOffset', () => {
  it('steps a page forward and back and stays put at the ends', () => {
    const s = { offset: 0, limit: GALLERY_PAGE_SIZE, total: 50 };
    expect(stepOffset(s, 1)).toBe(24);
    expect(stepOffset({ ...s, offset: 24 }, 1)).toBe(48);
    expect(stepOffset({ ...s, offset: 48 }, 1)).toBe(48);
    expect(stepOffset({ ...s, offset: 24 }, -1)).toBe(0);
    expect(stepOffset(s, -1)).toBe(0);
  });
});

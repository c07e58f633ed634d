import { describe, expect, it } from 'vitest';
import {
  formatAgo,
  formatBytes,
  formatCount,
  formatDuration,
  formatEta,
  formatRate,
  percent,
  plural,
} from '../../../renderer/src/lib/format.js';

describe('formatCount / plural', () => {
  it('groups thousands', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(100000)).toBe('100,000');
  });
  it('says 1 image, 2 images', () => {
    expect(plural(1, 'image')).toBe('1 image');
    expect(plural(0, 'image')).toBe('0 images');
    expect(plural(12345, 'image')).toBe('12,345 images');
    expect(plural(2, 'class', 'classes')).toBe('2 classes');
  });
});

describe('formatBytes', () => {
  it('counts small files in bytes', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(999)).toBe('999 bytes');
  });
  it('uses decimal units with one decimal below 10', () => {
    expect(formatBytes(1000)).toBe('1 KB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(48_200)).toBe('48 KB');
    expect(formatBytes(3_400_000)).toBe('3.4 MB');
    expect(formatBytes(2_000_000_000)).toBe('2 GB');
  });
  it('carries into the next unit instead of showing 1000', () => {
    expect(formatBytes(999_999)).toBe('1 MB');
    expect(formatBytes(999_499)).toBe('999 KB');
  });
  it('shows a dash for nonsense', () => {
    expect(formatBytes(-1)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('formatRate', () => {
  it('shows one decimal for slow rates and whole numbers for fast ones', () => {
    expect(formatRate(0.42)).toBe('0.4 files/s');
    expect(formatRate(3)).toBe('3 files/s');
    expect(formatRate(12.6)).toBe('13 files/s');
    expect(formatRate(1250)).toBe('1,250 files/s');
  });
  it('shows a dash before a rate is known', () => {
    expect(formatRate(0)).toBe('—');
    expect(formatRate(Number.POSITIVE_INFINITY)).toBe('—');
  });
});

describe('formatEta', () => {
  it('says it is estimating until it knows', () => {
    expect(formatEta(null)).toBe('estimating…');
    expect(formatEta(Number.NaN)).toBe('estimating…');
  });
  it('rounds the way people speak', () => {
    expect(formatEta(3)).toBe('a few seconds left');
    expect(formatEta(42)).toBe('about 40 seconds left');
    expect(formatEta(70)).toBe('about a minute left');
    expect(formatEta(150)).toBe('about 3 minutes left');
    expect(formatEta(23 * 60)).toBe('about 25 minutes left');
    expect(formatEta(59 * 60)).toBe('about 1 hour left');
    expect(formatEta(5400)).toBe('about 1 hour 30 minutes left');
    expect(formatEta(2 * 3600 + 58 * 60)).toBe('about 3 hours left');
    expect(formatEta(2 * 3600 + 10 * 60)).toBe('about 2 hours 10 minutes left');
  });
});

describe('formatDuration', () => {
  it('shows tenths below ten seconds, then minutes and hours', () => {
    expect(formatDuration(0.42)).toBe('0.4 seconds');
    expect(formatDuration(12.4)).toBe('12 seconds');
    expect(formatDuration(60)).toBe('1 min');
    expect(formatDuration(75)).toBe('1 min 15 s');
    expect(formatDuration(3720)).toBe('1 h 2 min');
  });
});

describe('percent', () => {
  it('is 0 for an unknown total and clamps to 0..100', () => {
    expect(percent(5, 0)).toBe(0);
    expect(percent(1, 3)).toBe(33);
    expect(percent(3, 3)).toBe(100);
    expect(percent(4, 3)).toBe(100);
  });
});

describe('formatAgo', () => {
  const now = Date.parse('2025-06-10T12:00:00Z');
  it('says how long ago', () => {
    expect(formatAgo('2025-06-10T11:59:50Z', now)).toBe('just now');
    expect(formatAgo('2025-06-10T11:55:00Z', now)).toBe('5 minutes ago');
    expect(formatAgo('2025-06-09T12:00:00Z', now)).toBe('yesterday');
    expect(formatAgo('2025-05-01T12:00:00Z', now)).toBe('last month');
  });
  it('is empty for a bad date', () => {
    expect(formatAgo('not a date', now)).toBe('');
  });
});

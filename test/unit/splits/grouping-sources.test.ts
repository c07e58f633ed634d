// Each group source on its own, and their union: folder/CSV groups, file-name patterns
// (with the guards against runaway patterns), capture-time bursts, near-duplicate
// clusters, and exact copies, which are always kept together.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../electron/api/errors.js';
import { buildGrouping, sourceGroups } from '../../../electron/engine/splits/grouping.js';
import { nearDuplicateClusters } from '../../../electron/engine/splits/near-duplicate-groups.js';
import { compileGroupPattern, hasNestedRepetition, regexKeys } from '../../../electron/engine/splits/regex-groups.js';
import { captureSeconds, timeBursts } from '../../../electron/engine/splits/time-bursts.js';
import type { SplitImage } from '../../../electron/engine/splits/types.js';
import { flipBits, hashFrom, image } from './make-images.js';

/** The groups as sorted lists of image ids, sorted: easy to compare. */
function idGroups(images: SplitImage[], members: number[][]): number[][] {
  return members.map((m) => m.map((i) => images[i]!.id).sort((a, b) => a - b)).sort((a, b) => a[0]! - b[0]!);
}

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }
  throw new Error('expected an ApiError');
}

describe('folder and CSV groups', () => {
  it('groups images by their stored group name; images without one stay alone', () => {
    const images = [
      image(1, 1, { group: 'day1' }),
      image(2, 1, { group: 'day1' }),
      image(3, 1, { group: 'day2' }),
      image(4, 1, { group: null }),
      image(5, 2, { group: 'day2' }),
    ];
    for (const kind of ['folder', 'csv'] as const) {
      const found = sourceGroups(images, { kind }, 'grouping.0');
      expect(idGroups(images, found.groups.map((g) => g.members))).toEqual([[1, 2], [3, 5]]);
    }
    const g = buildGrouping(images, [{ kind: 'folder' }]);
    expect(idGroups(images, g.groups)).toEqual([[1, 2], [3, 5], [4]]);
    expect(g.names[g.groupOf[0]!]).toBe('group "day1"');
    expect(g.sources).toEqual([{ source: { kind: 'folder' }, groups: 2, groupedImages: 4 }]);
  });
});

describe('file-name pattern groups', () => {
  const frames = [
    image(1, 1, { relPath: 'cats/vid12_frame001.jpg' }),
    image(2, 1, { relPath: 'cats/vid12_frame002.jpg' }),
    image(3, 2, { relPath: 'dogs/vid7_frame001.jpg' }),
    image(4, 2, { relPath: 'dogs/vid7_frame002.jpg' }),
    image(5, 2, { relPath: 'dogs/portrait.jpg' }),
  ];

  it('uses the first capture group as the key, on the file name only', () => {
    const g = buildGrouping(frames, [{ kind: 'regex', pattern: '^(vid\\d+)_' }]);
    expect(idGroups(frames, g.groups)).toEqual([[1, 2], [3, 4], [5]]);
    expect(g.names[g.groupOf[0]!]).toBe('name part "vid12"');
  });

  it('uses the whole match when the pattern has no capture group', () => {
    const g = buildGrouping(frames, [{ kind: 'regex', pattern: 'vid\\d+' }]);
    expect(idGroups(frames, g.groups)).toEqual([[1, 2], [3, 4], [5]]);
    // The folder is not part of the name: "cats" never matches.
    expect(regexKeys(/cats/, ['vid12_frame001.jpg'], 'f')).toEqual([null]);
  });

  it('treats an empty match as no match', () => {
    const g = buildGrouping(frames, [{ kind: 'regex', pattern: 'x*' }]);
    expect(g.groups).toHaveLength(5);
  });

  it('refuses an invalid, empty, overlong or runaway pattern, naming the field', () => {
    const invalid = apiError(() => buildGrouping(frames, [{ kind: 'folder' }, { kind: 'regex', pattern: '(unclosed' }]));
    expect(invalid.field).toBe('grouping.1.pattern');
    expect(invalid.message).toMatch(/not a valid regular expression/);
    expect(apiError(() => compileGroupPattern('', 'f')).message).toMatch(/empty/);
    expect(apiError(() => compileGroupPattern('a'.repeat(201), 'f')).message).toMatch(/201 characters/);
    expect(apiError(() => compileGroupPattern('^(a+)+$', 'f')).message).toMatch(/repeats a repetition/);
  });

  it('tells nested repetitions from harmless patterns', () => {
    for (const bad of ['(a+)+', '(a*)*', '(?:\\d+x)+', '((ab)*c)+', '([a-z]+){2,}']) expect(hasNestedRepetition(bad), bad).toBe(true);
    for (const ok of ['^(.+)_\\d+', '(vid\\d+)_frame', '[(+]+', '(ab){3}', '\\(a+\\)+', '(a+)?b']) expect(hasNestedRepetition(ok), ok).toBe(false);
  });

  it('stops a pattern that runs too long and says so', () => {
    // Overlapping alternatives backtrack exponentially and pass the shape check.
    const err = apiError(() => regexKeys(/^(a|a)*$/, [`${'a'.repeat(40)}!`], 'grouping.0.pattern', 200));
    expect(err.field).toBe('grouping.0.pattern');
    expect(err.message).toMatch(/took longer/);
  });
});

describe('capture-time bursts', () => {
  it('reads wall-clock times as UTC and converts times with an offset', () => {
    expect(captureSeconds('2024-05-01T10:00:00')).toBe(Date.UTC(2024, 4, 1, 10) / 1000);
    expect(captureSeconds('2024-05-01T12:00:00+02:00')).toBe(Date.UTC(2024, 4, 1, 10) / 1000);
    expect(captureSeconds(null)).toBeNull();
    expect(captureSeconds('not a time')).toBeNull();
  });

  it('chains shots at most N seconds apart and breaks at a longer gap', () => {
    const t = (s: number) => new Date(Date.UTC(2024, 4, 1, 10, 0, s)).toISOString().slice(0, 19);
    const images = [
      { index: 0, capturedAt: t(0) },
      { index: 1, capturedAt: t(3) },
      { index: 2, capturedAt: t(6) }, // 6 s from the first, but 3 s from the second: same burst
      { index: 3, capturedAt: t(20) }, // gap of 14 s: a new burst
      { index: 4, capturedAt: t(22) },
      { index: 5, capturedAt: t(40) }, // alone
      { index: 6, capturedAt: null }, // no time: alone
    ];
    expect(timeBursts(images, 5)).toEqual([[0, 1, 2], [3, 4]]);
    expect(timeBursts(images, 2)).toEqual([[3, 4]]);
    expect(timeBursts(images, 3)).toEqual([[0, 1, 2], [3, 4]]);
    expect(timeBursts(images.slice().reverse(), 5)).toEqual([[0, 1, 2], [3, 4]]);
  });

  it('leaves images without a capture time as groups of their own', () => {
    const images = [image(1, 1), image(2, 1), image(3, 1, { capturedAt: '2024-01-01T00:00:00' }), image(4, 1, { capturedAt: '2024-01-01T00:00:01' })];
    const g = buildGrouping(images, [{ kind: 'time', seconds: 10 }]);
    expect(idGroups(images, g.groups)).toEqual([[1], [2], [3, 4]]);
  });
});

describe('near-duplicate clusters', () => {
  it('links hashes within the threshold, in chains, and merges identical hashes', () => {
    const base = hashFrom(1000);
    const images = [
      { index: 0, phash: base },
      { index: 1, phash: flipBits(base, 4) }, // 4 bits from 0
      { index: 2, phash: flipBits(base, 8) }, // 4 bits from 1, 8 from 0: linked through 1
      { index: 3, phash: hashFrom(2000) },
      { index: 4, phash: hashFrom(2000) }, // identical to 3
      { index: 5, phash: hashFrom(3000) },
    ];
    const sorted = (c: number[][]) => c.map((m) => m.slice().sort()).sort((a, b) => a[0]! - b[0]!);
    expect(sorted(nearDuplicateClusters(images, 4))).toEqual([[0, 1, 2], [3, 4]]);
    expect(sorted(nearDuplicateClusters(images, 3))).toEqual([[3, 4]]);
    expect(sorted(nearDuplicateClusters(images, 8))).toEqual([[0, 1, 2], [3, 4]]);
  });

  it('works as a group source across classes', () => {
    const images = [image(1, 1), image(2, 2, { phash: flipBits(hashFrom(1), 2) }), image(3, 1)];
    const g = buildGrouping(images, [{ kind: 'near-duplicates', threshold: 6 }]);
    expect(idGroups(images, g.groups)).toEqual([[1, 2], [3]]);
    expect(g.names[g.groupOf[0]!]).toBe('near duplicates of img_1.jpg');
  });
});

describe('combined sources', () => {
  it('merges what any source links, and always keeps exact copies together', () => {
    const images = [
      image(1, 1, { group: 'a' }),
      image(2, 1, { group: 'a', capturedAt: '2024-01-01T00:00:00' }),
      image(3, 1, { group: 'b', capturedAt: '2024-01-01T00:00:02' }), // same burst as 2: joins a
      image(4, 1, { group: 'c' }),
      image(5, 2, { group: null }),
    ];
    images[4]!.sha256 = images[3]!.sha256; // 5 is a byte-identical copy of 4
    const g = buildGrouping(images, [{ kind: 'folder' }, { kind: 'time', seconds: 5 }]);
    expect(idGroups(images, g.groups)).toEqual([[1, 2, 3], [4, 5]]);
    const none = buildGrouping(images, []);
    expect(idGroups(images, none.groups)).toEqual([[1], [2], [3], [4, 5]]);
    expect(none.names[none.groupOf[3]!]).toBe('copies of img_4.jpg');
  });
});

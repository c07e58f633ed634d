// Shift-click ranges over a paged grid: rangePartsByPage answers what rangeParts answers
// (the ids of loaded tiles, runs of positions to ask the engine for) while looking up
// pages, not positions; MarkSet reports a whole range as one change.
import { describe, expect, it } from 'vitest';
import { PageCache } from '../../../renderer/src/lib/grid/page-cache.js';
import { MarkSet } from '../../../renderer/src/lib/labeling/marks.js';
import { rangeParts, rangePartsByPage } from '../../../renderer/src/lib/labeling/range.js';

/** A deterministic PRNG for the layouts. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

interface Tile {
  id: number;
}

/** Pages of `size` over `total` positions, some loaded (a few short, as a last or stale page is). */
function layout(seed: number, total: number, size: number): Map<number, Tile[]> {
  const r = rng(seed);
  const pages = new Map<number, Tile[]>();
  for (let off = 0; off < total; off += size) {
    if (r() < 0.5) continue;
    const full = Math.min(size, total - off);
    const n = r() < 0.2 ? Math.floor(r() * full) : full;
    pages.set(off, Array.from({ length: n }, (_, k) => ({ id: 10_000 + off + k })));
  }
  return pages;
}

describe('rangePartsByPage', () => {
  it('answers exactly what rangeParts answers, in either direction, across random layouts', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const r = rng(seed * 7);
      const size = 1 + Math.floor(r() * 12);
      const total = 1 + Math.floor(r() * 200);
      const pages = layout(seed, total, size);
      const idAt = (i: number) => pages.get(Math.floor(i / size) * size)?.[i % size]?.id;
      const from = Math.floor(r() * total);
      const to = Math.floor(r() * total);
      const maxRun = 1 + Math.floor(r() * 30);
      const byPage = rangePartsByPage(from, to, size, (off) => pages.get(off), (t) => t.id, maxRun);
      expect(byPage, `seed ${seed}`).toEqual(rangeParts(from, to, idAt, maxRun));
    }
  });

  it('keeps the examples of rangeParts: loaded ids in order, missing runs cut at maxRun', () => {
    const pages = new Map<number, Tile[]>([
      [0, Array.from({ length: 10 }, (_, k) => ({ id: 1000 + k }))],
      [500, Array.from({ length: 10 }, (_, k) => ({ id: 1500 + k }))],
    ]);
    const parts = rangePartsByPage(800, 5, 10, (off) => pages.get(off), (t) => t.id);
    expect(parts.ids).toEqual([1005, 1006, 1007, 1008, 1009, ...Array.from({ length: 10 }, (_, k) => 1500 + k)]);
    expect(parts.missing).toEqual([
      { offset: 10, limit: 490 },
      { offset: 510, limit: 291 },
    ]);
    expect(rangePartsByPage(0, 24, 5, () => undefined, (t: Tile) => t.id, 10).missing).toEqual([
      { offset: 0, limit: 10 },
      { offset: 10, limit: 10 },
      { offset: 20, limit: 5 },
    ]);
  });

  it('looks up each page once, not each position, over a range of 100,000 (real PageCache)', async () => {
    const total = 100_000;
    const cache = new PageCache<string, Tile>({
      keyOf: (f) => f,
      pageSize: 200,
      load: async (_f, offset, limit) => ({ total, offset, items: Array.from({ length: Math.min(limit, total - offset) }, (_, k) => ({ id: offset + k + 1 })) }),
    });
    // What a person has scrolled through: the first page and the last one.
    cache.want('all', 0, 1);
    cache.want('all', total - 1, total);
    while (cache.pending > 0) await new Promise((r) => setTimeout(r, 1));
    let lookups = 0;
    const parts = rangePartsByPage(0, total - 1, cache.pageSize, (off) => {
      lookups += 1;
      return cache.pageItems('all', off);
    }, (t) => t.id);
    expect(lookups).toBe(total / 200);
    expect(parts.ids.slice(0, 3)).toEqual([1, 2, 3]);
    expect(parts.ids.at(-1)).toBe(total);
    const loaded = parts.ids.length;
    expect(loaded).toBeGreaterThanOrEqual(400);
    expect(parts.missing.reduce((n, run) => n + run.limit, 0)).toBe(total - loaded);
    // The same answer as a lookup per position.
    expect(parts).toEqual(rangeParts(0, total - 1, (i) => cache.tile('all', i)?.id));
  });
});

describe('MarkSet', () => {
  it('marks a range of 100,000 ids as one change', () => {
    let changes = 0;
    const marks = new MarkSet(() => (changes += 1));
    marks.addAll(Array.from({ length: 100_000 }, (_, i) => i + 1));
    expect(changes).toBe(1);
    expect(marks.size).toBe(100_000);
    expect(marks.has(1) && marks.has(100_000) && !marks.has(0)).toBe(true);
    // Nothing new: no change to announce.
    marks.addAll([1, 2, 3]);
    expect(changes).toBe(1);
  });

  it('toggles and clears, one change each, and lists what is marked', () => {
    let changes = 0;
    const marks = new MarkSet(() => (changes += 1));
    marks.toggle(5);
    marks.toggle(7);
    marks.toggle(5);
    expect([...marks]).toEqual([7]);
    expect(changes).toBe(3);
    marks.clear();
    expect(marks.size).toBe(0);
    expect(changes).toBe(4);
    marks.clear();
    expect(changes).toBe(4);
  });
});

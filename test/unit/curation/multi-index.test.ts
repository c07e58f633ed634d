// Multi-index hashing finds exactly the pairs that comparing every pair finds, at every
// threshold the slider allows, including hashes whose differences straddle the
// substring boundaries.
import { describe, expect, it } from 'vitest';
import { bitSlice, hamming, parseHash } from '../../../electron/engine/curation/hash64.js';
import { allPairs, ballMasks, chooseLayout, nearPairs, type Pairs } from '../../../electron/engine/curation/multi-index.js';
import { mulberry32 } from '../../../electron/engine/curation/prng.js';
import { UnionFind } from '../../../electron/engine/curation/union-find.js';

function flip(hi: number, lo: number, bit: number): [number, number] {
  return bit < 32 ? [(hi ^ (1 << (31 - bit))) >>> 0, lo] : [hi, (lo ^ (1 << (63 - bit))) >>> 0];
}

/** Random hashes plus families: copies of a hash with 1–8 bits flipped at random places. */
function hashes(n: number, seed: number): { hi: Uint32Array; lo: Uint32Array } {
  const rand = mulberry32(seed);
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    if (i > 0 && rand() < 0.4) {
      const j = Math.floor(rand() * i);
      let h: [number, number] = [hi[j]!, lo[j]!];
      const flips = 1 + Math.floor(rand() * 8);
      for (let f = 0; f < flips; f++) h = flip(h[0], h[1], Math.floor(rand() * 64));
      [hi[i], lo[i]] = h;
    } else {
      hi[i] = Math.floor(rand() * 2 ** 32);
      lo[i] = Math.floor(rand() * 2 ** 32);
    }
  }
  return { hi, lo };
}

const asSet = (p: Pairs) => new Set(Array.from(p.a, (a, k) => `${a}-${p.b[k]}-${p.distance[k]}`));

describe('64-bit hash helpers', () => {
  it('bitSlice cuts any range, across the two halves too', () => {
    const hex = '0123456789abcdef';
    const [hi, lo] = parseHash(hex);
    const big = BigInt(`0x${hex}`);
    for (const [start, len] of [[0, 16], [16, 16], [24, 16], [30, 5], [32, 22], [42, 22], [61, 3], [0, 22], [10, 22]] as const) {
      const expected = Number((big >> BigInt(64 - start - len)) & ((1n << BigInt(len)) - 1n));
      expect(bitSlice(hi, lo, start, len), `${start}+${len}`).toBe(expected);
    }
  });

  it('hamming counts differing bits', () => {
    const [a1, a2] = parseHash('ffffffffffffffff');
    const [b1, b2] = parseHash('0000000000000000');
    expect(hamming(a1, a2, b1, b2)).toBe(64);
    const [c1, c2] = parseHash('8000000000000001');
    expect(hamming(c1, c2, b1, b2)).toBe(2);
  });

  it('ballMasks lists every value within r bits once', () => {
    expect(ballMasks(16, 0)).toEqual(Uint32Array.from([0]));
    expect(ballMasks(16, 1)).toHaveLength(17);
    const two = ballMasks(10, 2);
    expect(two).toHaveLength(1 + 10 + 45);
    expect(new Set(two).size).toBe(two.length);
  });

  it('chooses layouts the pigeonhole argument covers', () => {
    for (const n of [10, 5000, 100_000]) {
      for (let d = 0; d <= 16; d++) {
        const l = chooseLayout(n, d);
        expect(l.chunks.reduce((s, c) => s + c.len, 0)).toBe(64);
        expect(l.chunks).toHaveLength(l.m);
        // Some substring differs in at most r bits whenever the whole differs in at most d.
        expect((l.r + 1) * l.m).toBeGreaterThan(d);
      }
    }
  });
});

describe('nearPairs (multi-index hashing)', () => {
  const { hi, lo } = hashes(2000, 11);
  // Every pair within 16 bits, once; the answer at a smaller threshold is a subset.
  const slow16 = allPairs(hi, lo, 16);
  const slowAt = (d: number) => new Set([...asSet(slow16)].filter((k) => Number(k.split('-')[2]) <= d));

  it('finds exactly the pairs all-pairs finds, for every threshold 0–16', () => {
    for (let d = 0; d <= 16; d++) {
      const fast = asSet(nearPairs(hi, lo, d));
      const slow = slowAt(d);
      expect(fast.size, `d=${d}`).toBe(slow.size);
      expect(fast, `d=${d}`).toEqual(slow);
    }
    expect(slowAt(6).size).toBeGreaterThan(500); // the families make plenty of near pairs
  });

  it('finds the same pairs with any layout', () => {
    const slow = slowAt(6);
    for (const m of [3, 4, 5, 7]) {
      const base = Math.floor(64 / m);
      const extra = 64 - base * m;
      const chunks = Array.from({ length: m }, (_, c) => ({ start: c * base + Math.min(c, extra), len: base + (c < extra ? 1 : 0) }));
      expect(asSet(nearPairs(hi, lo, 6, { m, r: Math.floor(6 / m), chunks })), `m=${m}`).toEqual(slow);
    }
  });

  it('sorts the pairs by distance, so one search at 16 answers every smaller threshold by a prefix', () => {
    const once = nearPairs(hi, lo, 16);
    expect(once.reach).toBe(16);
    expect(once.within).toHaveLength(17);
    for (let k = 1; k < once.distance.length; k++) expect(once.distance[k]!).toBeGreaterThanOrEqual(once.distance[k - 1]!);
    for (let d = 0; d <= 16; d++) {
      const n = once.within[d]!;
      const prefix = new Set(Array.from(once.a.subarray(0, n), (a, k) => `${a}-${once.b[k]}-${once.distance[k]}`));
      expect(prefix, `d=${d}`).toEqual(slowAt(d));
    }
  });

  it('drops the farthest distances when more pairs than maxPairs are found, and says how far it reaches', () => {
    const full = nearPairs(hi, lo, 12);
    const budget = full.within[8]! + 1; // room for every pair within 8 bits, not within 9
    expect(full.within[9]!).toBeGreaterThan(budget);
    const cut = nearPairs(hi, lo, 12, undefined, budget);
    expect(cut.reach).toBe(8);
    expect(cut.a.length).toBeLessThanOrEqual(budget);
    expect(asSet(cut)).toEqual(slowAt(8));
    // These hashes include identical copies (distance 0): with room for none, nothing is complete.
    const none = nearPairs(hi, lo, 12, undefined, 0);
    expect([none.reach, none.a.length, none.within.length]).toEqual([-1, 0, 0]);
  });

  it('compares far fewer pairs than all-pairs', () => {
    const big = hashes(20_000, 3);
    const fast = nearPairs(big.hi, big.lo, 6);
    expect(fast.compared).toBeLessThan((20_000 * 19_999) / 2 / 50);
  });
});

describe('UnionFind', () => {
  it('joins chains into one set and keeps others apart', () => {
    const uf = new UnionFind(6);
    uf.union(0, 1);
    uf.union(1, 2);
    uf.union(4, 5);
    expect(uf.find(0)).toBe(uf.find(2));
    expect(uf.find(3)).not.toBe(uf.find(0));
    expect(uf.find(4)).toBe(uf.find(5));
    expect(uf.find(4)).not.toBe(uf.find(0));
  });
});

// All pairs of 64-bit hashes within Hamming distance d, without comparing all pairs:
// multi-index hashing (Norouzi, Punjani & Fleet, "Fast search in Hamming space with
// multi-index hashing", CVPR 2012). Cut each hash into m disjoint substrings. If two
// hashes differ in at most d bits, then by the pigeonhole principle some substring
// differs in at most r = ⌊d / m⌋ bits. So each substring gets a table (a counting sort
// of the hashes by that substring), and each hash looks up, in every table, the
// buckets within r bits of its own substring. Only those candidates are compared in
// full. m is chosen per d and per number of hashes to make the expected work smallest.
import { bitSlice, hamming, popcount32 } from './hash64.js';
import { NearPairBuffer } from './near-pair-buffer.js';

export interface Layout {
  /** Number of substrings (tables). */
  m: number;
  /** Search radius inside each substring. */
  r: number;
  /** Bit offset and length of each substring. */
  chunks: { start: number; len: number }[];
}

export interface Pairs {
  /** Indexes into the hash arrays, a[k] < b[k]; each pair appears once, closest pairs first. */
  a: Int32Array;
  b: Int32Array;
  distance: Uint8Array;
  /**
   * within[t] pairs are t bits apart or closer (t = 0 … reach): as the pairs are sorted
   * by distance, those of any smaller threshold are a prefix, so one search serves
   * every threshold up to its own.
   */
  within: Uint32Array;
  /** The largest distance these pairs are complete for: the one asked, or less when `maxPairs` cut it (−1: none). */
  reach: number;
  /** Candidates compared in full (for the benchmark). */
  compared: number;
}

const MAX_CHUNK_BITS = 22; // 4 M buckets × 4 bytes per table at most

function binomial(n: number, k: number): number {
  let v = 1;
  for (let i = 1; i <= k; i++) v = (v * (n - k + i)) / i;
  return v;
}

/** The expected work of the chosen layout, in "bucket visits or comparisons" (~10 ns each here). */
export function searchCost(n: number, d: number): number {
  return chooseLayout(n, d).cost;
}

export function chooseLayout(n: number, d: number): Layout & { cost: number } {
  let best: (Layout & { cost: number }) | null = null;
  let bestCost = Infinity;
  for (let m = Math.ceil(64 / MAX_CHUNK_BITS); m <= 16; m++) {
    const r = Math.floor(d / m);
    const len = Math.ceil(64 / m);
    let probes = 0;
    for (let i = 0; i <= r; i++) probes += binomial(len, i);
    // Per table: every non-empty bucket visits the buckets within r bits of it, and
    // every pair of hashes in such buckets is compared (n²/2 pairs, a fraction
    // probes / 2^len of them candidates); the bucket array itself is built once.
    const buckets = 2 ** len;
    const cost = m * (Math.min(n, buckets) * probes + ((n * n) / 2) * (probes / buckets) + buckets);
    if (cost < bestCost) {
      bestCost = cost;
      const chunks: { start: number; len: number }[] = [];
      const base = Math.floor(64 / m);
      const extra = 64 - base * m; // the first `extra` chunks get one bit more
      for (let c = 0, start = 0; c < m; c++) {
        const l = base + (c < extra ? 1 : 0);
        chunks.push({ start, len: l });
        start += l;
      }
      best = { m, r, chunks, cost };
    }
  }
  return best!;
}

/** Every value of `len` bits with at most `r` bits set: the XOR masks of one probe ball. */
export function ballMasks(len: number, r: number): Uint32Array {
  const out: number[] = [0];
  const extend = (mask: number, from: number, left: number) => {
    for (let bit = from; bit < len; bit++) {
      const next = (mask | (1 << bit)) >>> 0;
      out.push(next);
      if (left > 1) extend(next, bit + 1, left - 1);
    }
  };
  if (r > 0) extend(0, 0, r);
  return Uint32Array.from(out);
}

interface Table {
  /** Bucket v holds positions start[v] … start[v+1]) of the table, hashes in increasing index order. */
  start: Uint32Array;
  /** The hash index at each position, and the hash itself, stored in table order so the
   * inner loop reads memory in sequence instead of jumping around 800 kB of hashes. */
  order: Int32Array;
  hi: Uint32Array;
  lo: Uint32Array;
}

function buildTable(hi: Uint32Array, lo: Uint32Array, chunk: { start: number; len: number }): Table {
  const n = hi.length;
  const keys = new Uint32Array(n);
  const start = new Uint32Array(2 ** chunk.len + 1);
  for (let i = 0; i < n; i++) {
    const k = bitSlice(hi[i]!, lo[i]!, chunk.start, chunk.len);
    keys[i] = k;
    start[k + 1]!++;
  }
  for (let v = 1; v < start.length; v++) start[v] = start[v]! + start[v - 1]!;
  const fill = start.slice(0, start.length - 1);
  const order = new Int32Array(n);
  const sortedHi = new Uint32Array(n);
  const sortedLo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const p = fill[keys[i]!]!++;
    order[p] = i;
    sortedHi[p] = hi[i]!;
    sortedLo[p] = lo[i]!;
  }
  return { start, order, hi: sortedHi, lo: sortedLo };
}

/** Whether hashes i and j share a bucket neighbourhood (≤ r bits apart) in one of the first `tables` tables. */
function metEarlier(hi: Uint32Array, lo: Uint32Array, i: number, j: number, layout: Layout, tables: number): boolean {
  for (let t = 0; t < tables; t++) {
    const c = layout.chunks[t]!;
    const x = (bitSlice(hi[i]!, lo[i]!, c.start, c.len) ^ bitSlice(hi[j]!, lo[j]!, c.start, c.len)) >>> 0;
    if (popcount32(x) <= layout.r) return true;
  }
  return false;
}

/**
 * Pairs of distinct positions whose hashes differ in at most `d` bits (0 ≤ d ≤ 32),
 * sorted by distance. Identical hashes are expected to be merged by the caller first: a
 * bucket of 10,000 blank images with one hash would otherwise cost 50 million comparisons.
 *
 * Work goes bucket by bucket rather than hash by hash: a bucket is paired with itself
 * and with each neighbour within r bits whose value is larger, so every candidate pair
 * is met once per table, with no "already seen" test in the inner loop. A true pair
 * can be met in several tables; it is kept only in the first (the others see that an
 * earlier table met it), so no set of seen pairs is needed.
 *
 * `maxPairs` bounds the memory: when more pairs than that are within `d`, the farthest
 * distances are dropped until they fit, and `reach` says which distance the answer is
 * complete for.
 */
export function nearPairs(
  hi: Uint32Array,
  lo: Uint32Array,
  d: number,
  layout: Layout = chooseLayout(hi.length, d),
  maxPairs = Infinity,
): Pairs {
  const found = new NearPairBuffer();
  let reach = d;
  let compared = 0;
  for (let t = 0; t < layout.m; t++) {
    const chunk = layout.chunks[t]!;
    const { start, order, hi: tHi, lo: tLo } = buildTable(hi, lo, chunk);
    const ball = ballMasks(chunk.len, layout.r);
    const buckets = start.length - 1;
    for (let v = 0; v < buckets; v++) {
      const s0 = start[v]!;
      const e0 = start[v + 1]!;
      if (s0 === e0) continue;
      // k = 0 is the bucket itself (pairs inside it); the others are its neighbours.
      for (let k = 0; k < ball.length; k++) {
        const w = (v ^ ball[k]!) >>> 0;
        if (w < v) continue;
        const s1 = start[w]!;
        const e1 = start[w + 1]!;
        if (s1 === e1) continue;
        for (let p = s0; p < e0; p++) {
          const hiI = tHi[p]!;
          const loI = tLo[p]!;
          const from = k === 0 ? p + 1 : s1;
          for (let q = from; q < e1; q++) {
            // popcount32 of both halves, written out: this line runs ~10⁸ times at 100,000 hashes.
            let x = hiI ^ tHi[q]!;
            x = x - ((x >>> 1) & 0x55555555);
            x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
            let y = loI ^ tLo[q]!;
            y = y - ((y >>> 1) & 0x55555555);
            y = (y & 0x33333333) + ((y >>> 2) & 0x33333333);
            x = (x & 0x0f0f0f0f) + ((x >>> 4) & 0x0f0f0f0f) + (y & 0x0f0f0f0f) + ((y >>> 4) & 0x0f0f0f0f);
            const h = Math.imul(x, 0x01010101) >>> 24;
            if (h > reach) continue;
            const i = order[p]!;
            const j = order[q]!;
            if (t > 0 && metEarlier(hi, lo, i, j, layout, t)) continue;
            found.push(i < j ? i : j, i < j ? j : i, h);
            // Too many: give up the farthest distance (its pairs so far, and any later).
            while (found.length > maxPairs) found.dropBeyond(--reach);
          }
          compared += e1 - from;
        }
      }
    }
  }
  return sortedByDistance(found, reach, compared);
}

/** A counting sort of the pairs by distance (stable), with the prefix counts. */
function sortedByDistance(found: NearPairBuffer, reach: number, compared: number): Pairs {
  const n = found.length;
  const within = new Uint32Array(reach + 1);
  for (let k = 0; k < n; k++) within[found.distance[k]!]!++;
  const next = new Uint32Array(within.length);
  // next[t]: where the pairs t bits apart start; then within[t]: where they end.
  for (let t = 1; t < within.length; t++) next[t] = next[t - 1]! + within[t - 1]!;
  for (let t = 0; t < within.length; t++) within[t] = next[t]! + within[t]!;
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  const distance = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const at = next[found.distance[k]!]!++;
    a[at] = found.a[k]!;
    b[at] = found.b[k]!;
    distance[at] = found.distance[k]!;
  }
  return { a, b, distance, within, reach, compared };
}

/** The same answer by comparing every pair: the baseline the benchmark and tests check against. */
export function allPairs(hi: Uint32Array, lo: Uint32Array, d: number): Pairs {
  const found = new NearPairBuffer();
  const n = hi.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const h = hamming(hi[i]!, lo[i]!, hi[j]!, lo[j]!);
      if (h <= d) found.push(i, j, h);
    }
  }
  return sortedByDistance(found, d, (n * (n - 1)) / 2);
}

// All pairs of 64-bit hashes within Hamming distance d, without comparing all pairs:
// multi-index hashing (Norouzi, Punjani & Fleet, "Fast search in Hamming space with
// multi-index hashing", CVPR 2012). Cut each hash into m disjoint substrings. If two
// hashes differ in at most d bits, then by the pigeonhole principle some substring
// differs in at most r = ⌊d / m⌋ bits. So each substring gets a table (a counting sort
// of the hashes by that substring), and each hash looks up, in every table, the
// buckets within r bits of its own substring. Only those candidates are compared in
// full. m is chosen per d and per number of hashes to make the expected work smallest.
import { bitSlice, hamming, popcount32 } from './hash64.js';

export interface Layout {
  /** Number of substrings (tables). */
  m: number;
  /** Search radius inside each substring. */
  r: number;
  /** Bit offset and length of each substring. */
  chunks: { start: number; len: number }[];
}

export interface Pairs {
  /** Indexes into the hash arrays, a[k] < b[k]; each pair appears once. */
  a: Int32Array;
  b: Int32Array;
  distance: Uint8Array;
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
  keys: Uint32Array;
  /** Bucket v holds order[start[v] … start[v+1]), hash indexes in increasing order. */
  start: Uint32Array;
  order: Int32Array;
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
  for (let i = 0; i < n; i++) order[fill[keys[i]!]!++] = i;
  return { keys, start, order };
}

/**
 * Pairs of distinct positions whose hashes differ in at most `d` bits (0 ≤ d ≤ 32).
 * Identical hashes are expected to be merged by the caller first: a bucket of 10,000
 * blank images with one hash would otherwise cost 50 million comparisons.
 *
 * Work goes bucket by bucket rather than hash by hash: a bucket is paired with itself
 * and with each neighbour within r bits whose value is larger, so every candidate pair
 * is met once per table, with no "already seen" test in the inner loop. A true pair
 * can be met in several tables; those few are merged at the end.
 */
export function nearPairs(hi: Uint32Array, lo: Uint32Array, d: number, layout: Layout = chooseLayout(hi.length, d)): Pairs {
  const n = hi.length;
  const found: number[] = []; // i, j, distance, i, j, distance, …
  let compared = 0;
  for (let t = 0; t < layout.m; t++) {
    const chunk = layout.chunks[t]!;
    const { start, order } = buildTable(hi, lo, chunk);
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
        const e1 = start[w + 1]!;
        for (let p = s0; p < e0; p++) {
          const i = order[p]!;
          const hiI = hi[i]!;
          const loI = lo[i]!;
          for (let q = k === 0 ? p + 1 : start[w]!; q < e1; q++) {
            const j = order[q]!;
            const h = popcount32((hiI ^ hi[j]!) >>> 0) + popcount32((loI ^ lo[j]!) >>> 0);
            if (h <= d) found.push(i < j ? i : j, i < j ? j : i, h);
          }
          compared += e1 - (k === 0 ? p + 1 : start[w]!);
        }
      }
    }
  }
  return dedupe(found, n, compared);
}

function dedupe(found: number[], n: number, compared: number): Pairs {
  const seen = new Set<number>();
  const keep: number[] = [];
  for (let k = 0; k < found.length; k += 3) {
    const key = found[k]! * n + found[k + 1]!;
    if (seen.has(key)) continue;
    seen.add(key);
    keep.push(k);
  }
  return {
    a: Int32Array.from(keep, (k) => found[k]!),
    b: Int32Array.from(keep, (k) => found[k + 1]!),
    distance: Uint8Array.from(keep, (k) => found[k + 2]!),
    compared,
  };
}

/** The same answer by comparing every pair: the baseline the benchmark and tests check against. */
export function allPairs(hi: Uint32Array, lo: Uint32Array, d: number): Pairs {
  const a: number[] = [];
  const b: number[] = [];
  const dist: number[] = [];
  const n = hi.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const h = hamming(hi[i]!, lo[i]!, hi[j]!, lo[j]!);
      if (h <= d) {
        a.push(i);
        b.push(j);
        dist.push(h);
      }
    }
  }
  return { a: Int32Array.from(a), b: Int32Array.from(b), distance: Uint8Array.from(dist), compared: (n * (n - 1)) / 2 };
}

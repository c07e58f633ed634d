// The near-duplicate graph of a project, kept in memory between requests: distinct
// perceptual hashes (identical hashes merged into one group), and the pairs of groups
// within a threshold. It depends only on the hashes, so labeling and "keep one" do not
// invalidate it; a trigger-maintained counter (phash_version, migration 2) says when
// an import or a changed file did. Pairs are sorted by distance, so one search at a
// threshold answers every smaller one by a prefix: once the background build
// (warm-near-index.ts) has searched at the slider's largest threshold, moving the
// slider never searches again. Without it, a threshold is searched on demand, in a
// worker thread when the search is large (a high threshold on a large project).
import type Database from 'better-sqlite3';
import { startWorker } from '../workers/start-worker.js';
import { hexWord } from './hash64.js';
import { parseIdList } from './id-list.js';
import { nearPairs, searchCost, type Pairs } from './multi-index.js';

export interface HashGroups {
  version: number;
  /** One entry per distinct hash. */
  hi: Uint32Array;
  lo: Uint32Array;
  /** Images of group g: images[start[g] … start[g+1]). */
  start: Int32Array;
  images: Int32Array;
  /** The largest image id, to size per-image lookups. */
  maxId: number;
}

export interface NearIndex {
  groups: HashGroups;
  threshold: number;
  pairs: Pairs;
  /** Milliseconds the pairs took to find (0 when they came from the cache). */
  buildMs: number;
}

interface Cache {
  groups: HashGroups | null;
  /** Reach (the distance the pairs are complete for) → pairs for groups.version; a few, newest last. */
  pairs: Map<number, { pairs: Pairs; buildMs: number }>;
  /** Searches under way, by threshold. */
  pending: Map<number, Promise<Pairs>>;
}

const MAX_CACHED_THRESHOLDS = 4;
const caches = new WeakMap<Database.Database, Cache>();
/**
 * Background builds under way (warm-near-index.ts): a request waits for one rather than
 * build twice. A build comes in two steps: the default threshold first (a fraction of a
 * second), then the largest; a view at or below `firstReach` waits only for the first.
 */
interface Warming {
  firstReach: number;
  first: Promise<unknown>;
  all: Promise<unknown>;
}
const warming = new WeakMap<Database.Database, Warming>();

export function phashVersion(db: Database.Database): number {
  return (db.prepare('SELECT n FROM phash_version WHERE id = 1').get() as { n: number }).n;
}

export function loadHashGroups(db: Database.Database, version: number): HashGroups {
  // Two strings for the whole table (ids, and all hashes back to back, 16 characters
  // each) instead of a JavaScript value per row: the two aggregates see the rows in the
  // same order, so the k-th id goes with the k-th hash.
  const all = db
    .prepare(`SELECT count(*) AS n, group_concat(id, ',') AS ids, group_concat(phash, '') AS hashes FROM images`)
    .get() as { n: number; ids: string | null; hashes: string | null };
  const n = all.n;
  const ids = parseIdList(all.ids, n);
  const hashes = all.hashes ?? '';
  // Identical hashes become one group through an open-addressing table on the two
  // halves: several times faster than a Map keyed by the hex strings at 100,000 rows.
  const size = 2 ** Math.ceil(Math.log2(Math.max(16, n * 2)));
  const slots = new Int32Array(size).fill(-1);
  const his = new Uint32Array(n);
  const los = new Uint32Array(n);
  const groupOfRow = new Int32Array(n);
  let groups = 0;
  let maxId = 0;
  for (let r = 0; r < n; r++) {
    const id = ids[r]!;
    if (id > maxId) maxId = id;
    const hi = hexWord(hashes, 16 * r);
    const lo = hexWord(hashes, 16 * r + 8);
    let slot = (Math.imul(hi ^ Math.imul(lo, 0x9e3779b1), 0x85ebca6b) >>> 0) & (size - 1);
    let g = slots[slot]!;
    while (g !== -1 && (his[g] !== hi || los[g] !== lo)) {
      slot = (slot + 1) & (size - 1);
      g = slots[slot]!;
    }
    if (g === -1) {
      g = groups++;
      slots[slot] = g;
      his[g] = hi;
      los[g] = lo;
    }
    groupOfRow[r] = g;
  }
  // Counting sort of the images by group.
  const start = new Int32Array(groups + 1);
  for (let r = 0; r < n; r++) start[groupOfRow[r]! + 1] = start[groupOfRow[r]! + 1]! + 1;
  for (let g = 1; g <= groups; g++) start[g] = start[g]! + start[g - 1]!;
  const fill = start.slice(0, groups);
  const images = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const g = groupOfRow[r]!;
    images[fill[g]!] = ids[r]!;
    fill[g] = fill[g]! + 1;
  }
  return { version, hi: his.slice(0, groups), lo: los.slice(0, groups), start, images, maxId };
}

/** Work (see searchCost) above which the pairs are found in a worker thread: about 0.2 s here. */
export const WORKER_COST = 2e7;

function runInWorker(groups: HashGroups, threshold: number): Promise<Pairs> {
  return new Promise((resolve, reject) => {
    // Copies of the hashes go to the worker; the index keeps its own.
    const worker = startWorker(import.meta.url, './near-pairs-worker', {
      workerData: { hi: groups.hi.slice(), lo: groups.lo.slice(), threshold },
    });
    worker.once('message', (pairs: Pairs) => resolve(pairs));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the near-duplicate search stopped (exit code ${code})`));
    });
  });
}

function cacheFor(db: Database.Database): Cache & { groups: HashGroups } {
  const version = phashVersion(db);
  let cache = caches.get(db);
  if (!cache || !cache.groups || cache.groups.version !== version) {
    cache = { groups: loadHashGroups(db, version), pairs: new Map(), pending: new Map() };
    caches.set(db, cache);
  }
  return cache as Cache & { groups: HashGroups };
}

function remember(cache: Cache, entry: { pairs: Pairs; buildMs: number }): void {
  const reach = entry.pairs.reach;
  cache.pairs.delete(reach);
  cache.pairs.set(reach, entry);
  // A search that reaches as far as another makes it redundant (its pairs are a prefix).
  for (const r of [...cache.pairs.keys()]) if (r < reach) cache.pairs.delete(r);
  if (cache.pairs.size > MAX_CACHED_THRESHOLDS) cache.pairs.delete(cache.pairs.keys().next().value!);
}

/** The pairs within `threshold` of a search that reached at least that far: a prefix, no copy. */
export function pairsWithin(pairs: Pairs, threshold: number): Pairs {
  if (threshold > pairs.reach) throw new Error(`these pairs reach ${pairs.reach} bits, not ${threshold}`);
  if (threshold === pairs.reach) return pairs;
  const n = pairs.within[threshold]!;
  return {
    a: pairs.a.subarray(0, n),
    b: pairs.b.subarray(0, n),
    distance: pairs.distance.subarray(0, n),
    within: pairs.within.subarray(0, threshold + 1),
    reach: threshold,
    compared: pairs.compared,
  };
}

/** The cached search of least reach that covers `threshold`, moved to the newest place. */
function cachedCovering(cache: Cache, threshold: number): { pairs: Pairs; buildMs: number } | null {
  let best: number | null = null;
  for (const r of cache.pairs.keys()) if (r >= threshold && (best === null || r < best)) best = r;
  if (best === null) return null;
  const hit = cache.pairs.get(best)!;
  cache.pairs.delete(best);
  cache.pairs.set(best, hit);
  return hit;
}

/**
 * The project's hash groups and the pairs within `threshold`, from the cache when still
 * current. Small searches run inline; large ones in a worker thread, so the process
 * stays responsive. Concurrent requests for one threshold share one search.
 */
export async function nearIndex(db: Database.Database, threshold: number, workerCost = WORKER_COST): Promise<NearIndex> {
  const warm = warming.get(db);
  if (warm) await (threshold <= warm.firstReach ? warm.first : warm.all).catch(() => undefined);
  const cache = cacheFor(db);
  const { groups } = cache;
  const hit = cachedCovering(cache, threshold);
  if (hit) return { groups, threshold, pairs: pairsWithin(hit.pairs, threshold), buildMs: 0 };
  const t0 = performance.now();
  let pending = cache.pending.get(threshold);
  if (!pending) {
    pending =
      searchCost(groups.hi.length, threshold) > workerCost
        ? runInWorker(groups, threshold)
        : Promise.resolve(nearPairs(groups.hi, groups.lo, threshold));
    cache.pending.set(threshold, pending);
    pending
      .then((pairs) => {
        // Only if the hashes did not change meanwhile: otherwise these pairs are stale.
        if (caches.get(db) === cache) remember(cache, { pairs, buildMs: performance.now() - t0 });
      })
      .catch(() => undefined)
      .finally(() => cache.pending.delete(threshold));
  }
  const pairs = await pending;
  return { groups, threshold, pairs, buildMs: performance.now() - t0 };
}

/**
 * Marks a background build of a project's index as under way until `all` settles; views
 * at or below `firstReach` wait only for `first`.
 */
export function whileWarming(db: Database.Database, firstReach: number, first: Promise<unknown>, all: Promise<unknown>): void {
  // A failed warm-up is not an error anyone must handle (the view builds the index
  // itself), so these chains swallow it rather than leave an unhandled rejection.
  const entry: Warming = {
    firstReach,
    first: first.catch(() => undefined),
    all: all.catch(() => undefined).finally(() => {
      if (warming.get(db) === entry) warming.delete(db);
    }),
  };
  warming.set(db, entry);
}

export function isWarming(db: Database.Database): boolean {
  return warming.has(db);
}

/**
 * Takes an index built elsewhere (a worker that read the project itself) as the cache,
 * only if the project's hashes are still the ones it was built from. False when stale
 * or when the project was closed meanwhile.
 */
export function adoptNearIndex(db: Database.Database, groups: HashGroups, pairs: Pairs, buildMs: number): boolean {
  if (!db.open || phashVersion(db) !== groups.version) return false;
  let cache = caches.get(db);
  if (!cache || !cache.groups || cache.groups.version !== groups.version) {
    cache = { groups, pairs: new Map(), pending: new Map() };
    caches.set(db, cache);
  }
  // Pairs are group indexes: they fit only the groups they were found in.
  if (cache.groups === groups) remember(cache, { pairs, buildMs });
  return true;
}

/** Forgets a project's index (for benchmarks that time a cold build, and when a project closes). */
export function dropNearIndex(db: Database.Database): void {
  caches.delete(db);
}

// Builds a project's near-duplicate index off the main thread: reads the hashes through
// its own read-only connection (WAL lets it read while the app writes), groups them and
// finds the pairs in two steps, posting each: first within the view's default threshold
// (a fraction of a second, so the first view need not wait for more), then within the
// slider's largest, which then answers every threshold. The typed arrays of the pairs
// go back without copying; the groups are copied once, as both steps use them.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { loadHashGroups, phashVersion } from './near-index.js';
import { nearPairs, type Pairs } from './multi-index.js';

const { file, first, reach, maxPairs } = workerData as { file: string; first: number; reach: number; maxPairs: number };
const db = new Database(file, { readonly: true, fileMustExist: true });
const pairBuffers = (p: Pairs) => [p.a, p.b, p.distance, p.within].map((a) => a.buffer as ArrayBuffer);
try {
  let t0 = performance.now();
  const groups = loadHashGroups(db, phashVersion(db));
  db.close();
  const near = nearPairs(groups.hi, groups.lo, first);
  parentPort!.postMessage({ step: 'first', groups, pairs: near, buildMs: performance.now() - t0 }, pairBuffers(near));
  if (reach > first) {
    t0 = performance.now();
    const all = nearPairs(groups.hi, groups.lo, reach, undefined, maxPairs);
    parentPort!.postMessage({ step: 'all', pairs: all, buildMs: performance.now() - t0 }, pairBuffers(all));
  }
} finally {
  if (db.open) db.close();
}

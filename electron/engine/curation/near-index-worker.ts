// Builds a project's near-duplicate index off the main thread: reads the hashes through
// its own read-only connection (WAL lets it read while the app writes), groups them and
// finds the pairs, then hands the typed arrays back without copying them.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { loadHashGroups, phashVersion } from './near-index.js';
import { nearPairs } from './multi-index.js';

const { file, threshold } = workerData as { file: string; threshold: number };
const db = new Database(file, { readonly: true, fileMustExist: true });
try {
  const t0 = performance.now();
  const groups = loadHashGroups(db, phashVersion(db));
  const pairs = nearPairs(groups.hi, groups.lo, threshold);
  const buildMs = performance.now() - t0;
  const buffers = [groups.hi, groups.lo, groups.start, groups.images, pairs.a, pairs.b, pairs.distance].map((a) => a.buffer as ArrayBuffer);
  parentPort!.postMessage({ groups, pairs, buildMs }, [...new Set(buffers)]);
} finally {
  db.close();
}

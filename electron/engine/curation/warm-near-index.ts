// Builds the near-duplicate index in the background right after a project opens and
// after an import finishes, so the first "Near duplicates" view (and the first slider
// move back to the default) finds it ready instead of paying ~0.3 s at 100,000 images.
// The build runs in a worker thread with its own read-only connection, so the main
// thread, which also answers the UI, only adopts the finished arrays.
import type Database from 'better-sqlite3';
import { startWorker } from '../workers/start-worker.js';
import type { Pairs } from './multi-index.js';
import { adoptNearIndex, isWarming, nearIndex, whileWarming, type HashGroups } from './near-index.js';

/** The threshold the "Near duplicates" view opens with (LookState's default). */
export const WARM_THRESHOLD = 6;

export type WarmOutcome = 'built' | 'stale' | 'skipped';

function buildInWorker(file: string, threshold: number): Promise<{ groups: HashGroups; pairs: Pairs; buildMs: number }> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(import.meta.url, './near-index-worker', { workerData: { file, threshold } });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the near-duplicate index build stopped (exit code ${code})`));
    });
  });
}

/**
 * Starts the build and resolves when it is adopted: 'built', 'stale' when the hashes
 * changed meanwhile (the next view builds anew), 'skipped' when one is already under way
 * or the project is not a file. Never rejects: a failed warm-up only means the first
 * view builds the index itself, as it did before.
 */
export async function warmNearIndex(db: Database.Database, threshold = WARM_THRESHOLD): Promise<WarmOutcome> {
  if (!db.open || isWarming(db)) return 'skipped';
  if (db.memory) {
    // An in-memory database cannot be opened from another thread; build it here.
    await nearIndex(db, threshold).catch(() => undefined);
    return 'built';
  }
  const build = buildInWorker(db.name, threshold).then(({ groups, pairs, buildMs }) =>
    adoptNearIndex(db, groups, threshold, pairs, buildMs) ? ('built' as const) : ('stale' as const),
  );
  whileWarming(db, build);
  return build.catch(() => 'skipped' as const);
}

// Builds the near-duplicate index in the background right after a project opens and
// after an import finishes, so the "Near duplicates" view finds it ready at every
// threshold the slider offers instead of searching when the slider moves (at 100,000
// images a search within 8 bits took ~0.7 s, within 16 bits ~6 s). The build runs in a
// worker thread with its own read-only connection, so the main thread, which also
// answers the UI, only adopts the finished arrays. It comes in two steps: the default
// threshold first (~0.3 s at 100,000 images), so a view opened at once waits no longer
// than it did, then the slider's largest, whose pairs (sorted by distance) answer every
// smaller threshold by a prefix.
import { MAX_HASH_DISTANCE } from '../../api/limits.js';
import type Database from 'better-sqlite3';
import { startWorker } from '../workers/start-worker.js';
import type { Pairs } from './multi-index.js';
import { adoptNearIndex, isWarming, nearIndex, whileWarming, type HashGroups } from './near-index.js';

/** The threshold the "Near duplicates" view opens with (LookState's default). */
export const WARM_THRESHOLD = 6;
/**
 * The largest threshold the slider offers (HashDistance in electron/api). Random 64-bit
 * hashes at 100,000 images give ~215,000 pairs within 16 bits (2 MB), and the search
 * takes ~6 s of one core in the worker, once per open or import.
 */
export const WARM_REACH = MAX_HASH_DISTANCE;
/**
 * At most this many pairs are kept (9 bytes each: ~36 MB). A project of very alike
 * pictures (scans of one form, frames of one video) can have far more pairs within 16
 * bits; then the farthest distances are dropped until the pairs fit, and a threshold
 * beyond what is left is searched when asked, as without this build.
 */
export const WARM_MAX_PAIRS = 4_000_000;

export type WarmOutcome = 'built' | 'stale' | 'skipped';

interface Built {
  groups: HashGroups;
  pairs: Pairs;
  buildMs: number;
}

/** Resolves `first` and `all` with each step of the worker's build. */
function buildInWorker(file: string, first: number, reach: number, maxPairs: number): { first: Promise<Built>; all: Promise<Built> } {
  let resolveFirst!: (b: Built) => void;
  let resolveAll!: (b: Built) => void;
  let rejectBoth!: (e: unknown) => void;
  const firstStep = new Promise<Built>((resolve, reject) => {
    resolveFirst = resolve;
    rejectBoth = reject;
  });
  const allSteps = new Promise<Built>((resolve, reject) => {
    resolveAll = resolve;
    const rejectFirst = rejectBoth;
    rejectBoth = (e) => {
      rejectFirst(e);
      reject(e);
    };
  });
  let groups: HashGroups | null = null;
  const worker = startWorker(import.meta.url, './near-index-worker', { workerData: { file, first, reach, maxPairs } });
  worker.on('message', (m: { step: 'first' | 'all'; groups?: HashGroups; pairs: Pairs; buildMs: number }) => {
    if (m.step === 'first') {
      groups = m.groups!;
      resolveFirst({ groups, pairs: m.pairs, buildMs: m.buildMs });
      if (reach <= first) resolveAll({ groups, pairs: m.pairs, buildMs: m.buildMs });
    } else {
      resolveAll({ groups: groups!, pairs: m.pairs, buildMs: m.buildMs });
    }
  });
  worker.once('error', (e) => rejectBoth(e));
  worker.once('exit', (code) => {
    // After both messages this rejects settled promises: no effect.
    rejectBoth(new Error(`the near-duplicate index build stopped (exit code ${code})`));
  });
  // When the first step fails nobody waits for the second: mark its rejection handled.
  allSteps.catch(() => undefined);
  return { first: firstStep, all: allSteps };
}

/**
 * Starts the build and resolves when both steps are adopted: 'built', 'stale' when the
 * hashes changed meanwhile (the next view builds anew), 'skipped' when one is already
 * under way or the project is not a file. Never rejects: a failed warm-up only means
 * views search on demand, as they did before.
 */
export async function warmNearIndex(
  db: Database.Database,
  first = WARM_THRESHOLD,
  reach = Math.max(first, WARM_REACH),
  maxPairs = WARM_MAX_PAIRS,
): Promise<WarmOutcome> {
  if (!db.open || isWarming(db)) return 'skipped';
  if (db.memory) {
    // An in-memory database cannot be opened from another thread; build it here.
    await nearIndex(db, reach).catch(() => undefined);
    return 'built';
  }
  const build = buildInWorker(db.name, first, reach, maxPairs);
  const adopt = (b: Built) => (adoptNearIndex(db, b.groups, b.pairs, b.buildMs) ? ('built' as const) : ('stale' as const));
  const firstAdopted = build.first.then(adopt);
  // The second step is adopted only after the first (it reuses the first's groups).
  const allAdopted = firstAdopted.then((outcome) => build.all.then((b) => (outcome === 'built' ? adopt(b) : outcome)));
  whileWarming(db, first, firstAdopted, allAdopted);
  return allAdopted.catch(() => 'skipped' as const);
}

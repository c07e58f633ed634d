// Where to kill, how many times, and the tally the lead reports. Kill moments come from a
// seeded PRNG (HOLDOUT_CRASH_SEED, 1 by default) spread uniformly over the operation's
// measured duration, so a failing point can be replayed; HOLDOUT_CRASH_POINTS sets the
// number of points per operation (a few by default, to keep CI short).
import { mulberry32, type Random } from '../../../../electron/engine/curation/prng.js';
import type { KillFrom, KilledRun, LinePredicate } from './kill-cli.js';

export function crashPoints(defaultCount: number): number {
  const raw = process.env.HOLDOUT_CRASH_POINTS;
  if (raw === undefined || raw === '') return defaultCount;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`HOLDOUT_CRASH_POINTS must be a whole number of at least 1, not "${raw}"`);
  return n;
}

export function crashSeed(): number {
  const raw = process.env.HOLDOUT_CRASH_SEED;
  const n = raw === undefined || raw === '' ? 1 : Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`HOLDOUT_CRASH_SEED must be a whole number, not "${raw}"`);
  return n;
}

/** One PRNG per operation (seed + a fixed offset), so adding points to one operation moves no other's. */
export function killRandom(operation: string): Random {
  let h = crashSeed();
  for (const ch of operation) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return mulberry32(h);
}

export interface Tally {
  operation: string;
  seed: number;
  /** Kill points drawn. */
  planned: number;
  /** SIGKILLs that landed while the command ran. */
  tried: number;
  /** Of those, the ones after which every check passed and the work completed. */
  survived: number;
  /** The command finished before its kill moment (nothing to check about a crash). */
  finishedFirst: number;
  /** A lock file left by the dead process that the next command took over. */
  staleLocksTakenOver: number;
  /** Operation-specific counts (e.g. label commands acknowledged, checkpoints verified). */
  details: Record<string, number>;
  /** The delays used, ms, for replaying a point. */
  delaysMs: number[];
}

export function newTally(operation: string): Tally {
  return { operation, seed: crashSeed(), planned: 0, tried: 0, survived: 0, finishedFirst: 0, staleLocksTakenOver: 0, details: {}, delaysMs: [] };
}

export function bump(t: Tally, key: string, by = 1): void {
  t.details[key] = (t.details[key] ?? 0) + by;
}

/** The line the lead collects: one JSON object per operation. */
export function printTally(t: Tally, profile?: OperationProfile): void {
  const measured = profile ? { operationMs: Math.round(profile.totalMs), workStartMs: Math.round(profile.workStartMs) } : {};
  console.log(`CRASH-TALLY ${JSON.stringify({ ...t, ...measured })}`);
}

/** How long an operation takes, measured on this machine, and where its real work starts. */
export interface OperationProfile {
  /** Start to exit of an uninterrupted run, ms. */
  totalMs: number;
  /** The moment the work begins (after start-up and loading): a line, or taking the lock. */
  workStarts: KillFrom;
  /** When that moment came in the measured run, ms after the start. */
  workStartMs: number;
}

export interface KillMoment {
  delayMs: number;
  /** Counted from this moment rather than from the start. */
  from?: KillFrom;
}

/**
 * Point i: even points anywhere from the start to the end (start-up, the lock, opening
 * the database count too), odd points within the work itself, counted from the moment it
 * begins, because on a loaded machine start-up can take most of a short operation.
 */
export function killMoment(random: Random, profile: OperationProfile, i: number): KillMoment {
  if (i % 2 === 0) return { delayMs: Math.round(random() * profile.totalMs) };
  return { delayMs: Math.round(random() * Math.max(1, profile.totalMs - profile.workStartMs)), from: profile.workStarts };
}

/** The profile from an uninterrupted run: its duration and the arrival of its first work line. */
export function profileOf(run: KilledRun, workStarts: LinePredicate): OperationProfile {
  const at = run.lines.findIndex(workStarts);
  if (at < 0) throw new Error(`no line marks the start of the work in ${JSON.stringify(run.lines)}`);
  return { totalMs: run.ms, workStarts: { line: workStarts }, workStartMs: run.lineMs[at]! };
}

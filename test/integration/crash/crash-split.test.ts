// `holdout split` SIGKILLed at seeded random moments. After each kill: the database is
// sound; every split version is whole (as many assignments as its image_count, its test
// fingerprint matching its test images, its saved report agreeing with its assignments)
// or absent; the versions saved before are untouched; an acknowledged split (its `split`
// line came back) is there. The next `holdout split` takes over the dead one's lock and
// saves the next version.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testFingerprint } from '../../../electron/engine/store/splits-repo.js';
import { writeShapesDataset } from '../../helpers/shapes-dataset.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { checkDatabase, leftItsLock, withDb } from './helpers/after-crash.js';
import { runAndKill, runToEnd } from './helpers/kill-cli.js';
import { bump, crashPoints, killMoment, killRandom, newTally, printTally, type OperationProfile } from './helpers/kill-plan.js';

const tempDir = tempDirFactory('holdout-crash-split-');
const points = crashPoints(4);
// A loaded 2-core machine: allow each point 25 s beyond the default timeout.
const timeout = 180_000 + points * 25_000;
const tally = newTally('split');
let project: string;
let profile: OperationProfile;

interface VersionState {
  id: number;
  imageCount: number;
  assignments: string; // "image:split,…" in image order: compared whole between checks
  fingerprint: string;
  testFingerprint: string;
  reportTotal: number;
}

/** Every saved version and its assignments, as the database has them. */
function versions(): VersionState[] {
  return withDb(project, (db) => {
    const rows = db.prepare('SELECT id, image_count, test_fingerprint, report FROM split_versions ORDER BY id').all() as {
      id: number;
      image_count: number;
      test_fingerprint: string;
      report: string;
    }[];
    return rows.map((v) => {
      const a = db.prepare('SELECT image_id, split FROM split_assignments WHERE version_id = ? ORDER BY image_id').raw().all(v.id) as [number, string][];
      const counts = (JSON.parse(v.report) as { counts: Record<string, number> }).counts;
      return {
        id: v.id,
        imageCount: v.image_count,
        assignments: a.map(([i, s]) => `${i}:${s}`).join(','),
        fingerprint: testFingerprint(a.filter(([, s]) => s === 'test').map(([i]) => i)),
        testFingerprint: v.test_fingerprint,
        reportTotal: Object.values(counts).reduce((x, y) => x + y, 0),
        count: a.length,
      };
    });
  });
}

function expectWhole(vs: VersionState[]): void {
  for (const v of vs) {
    const { count } = v as VersionState & { count: number };
    expect(count, `version ${v.id}: assignments`).toBe(v.imageCount);
    expect(v.fingerprint, `version ${v.id}: test fingerprint`).toBe(v.testFingerprint);
    expect(v.reportTotal, `version ${v.id}: saved report`).toBe(v.imageCount);
  }
}

beforeAll(async () => {
  const shapes = await writeShapesDataset(path.join(tempDir(), 'shapes'), { perClass: 60, size: 24 });
  project = path.join(tempDir(), 'project');
  const imp = await runToEnd(['import', shapes, '--project', project]);
  expect(imp.code, imp.stderr).toBe(0);
  const measured = await runAndKill(['split', '--project', project, '--seed', '100', '--group-by', 'near-duplicates'], Infinity, { lockIn: project });
  expect(measured.code, measured.stderr).toBe(0);
  profile = { totalMs: measured.ms, workStarts: { lockIn: project }, workStartMs: measured.lockMs ?? 0 };
});

afterAll(() => printTally(tally, profile));

describe('holdout split under SIGKILL', () => {
  it('leaves each split version whole or absent, and the next split takes the lock over', async () => {
    const random = killRandom('split');
    let saved = versions();
    expectWhole(saved);
    let stale = false;
    for (let i = 0; i < points; i++) {
      tally.planned++;
      const moment = killMoment(random, profile, i);
      tally.delaysMs.push(moment.delayMs);
      const args = ['split', '--project', project, '--seed', String(200 + i), '--group-by', 'near-duplicates'];
      const run = await runAndKill(args, moment.delayMs, moment.from);
      const acked = run.lines.find((l) => l.event === 'split');
      if (!run.killed) tally.finishedFirst++;
      else tally.tried++;
      if (run.killed) expect(checkDatabase(project)).toEqual({ integrity: 'ok', foreignKeys: [] });
      else expect(run.code, run.stderr).toBe(0);
      const now = versions();
      expectWhole(now);
      // What was saved before is untouched; at most the one new version was added.
      expect(now.slice(0, saved.length)).toEqual(saved);
      expect(now.length - saved.length).toBeLessThanOrEqual(1);
      if (acked) expect(now.at(-1)!.id, 'an acknowledged split is there').toBe(acked.version);
      if (run.killed) bump(tally, acked ? 'killedAfterAcknowledging' : now.length > saved.length ? 'killedSavedUnacknowledged' : 'killedBeforeSave');
      saved = now;
      if (run.killed && leftItsLock(project, run.pid)) {
        bump(tally, 'staleLocksLeft');
        stale = true;
      }

      // The next command: takes the lock over (if left) and saves a whole new version.
      const next = await runToEnd(['split', '--project', project, '--seed', String(300 + i)]);
      expect(next.code, `${next.stderr}\n${JSON.stringify(next.last)}`).toBe(0);
      if (stale) tally.staleLocksTakenOver++;
      stale = false;
      const after = versions();
      expectWhole(after);
      expect(after.slice(0, saved.length)).toEqual(saved);
      expect(after.at(-1)!.id).toBe(next.last.version);
      saved = after;
      if (run.killed) tally.survived++;
    }
    expect(tally.tried).toBeGreaterThan(0);
  }, timeout);
});

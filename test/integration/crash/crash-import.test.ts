// `holdout import` SIGKILLed at seeded random moments over its whole run (project
// creation, scanning, hashing, thumbnails, commits). After each kill: the database is
// sound, every image row is complete with its thumbnail (no half-imported image), the
// only temporary thumbnails are the dead process's, and the next `holdout import` takes
// over the dead process's lock and adds exactly the images that are missing.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../../electron/engine/project/project.js';
import { writeShapesDataset } from '../../helpers/shapes-dataset.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { checkRowsComplete, tmpLeftovers } from '../ingest/helpers/project.js';
import { checkDatabase, leftItsLock, projectExists } from './helpers/after-crash.js';
import { runAndKill, runToEnd } from './helpers/kill-cli.js';
import { bump, crashPoints, killMoment, killRandom, newTally, printTally, profileOf, type OperationProfile } from './helpers/kill-plan.js';

const tempDir = tempDirFactory('holdout-crash-import-');
const points = crashPoints(4);
// A loaded 2-core machine: allow each point 20 s beyond the default timeout.
const timeout = 180_000 + points * 20_000;
const tally = newTally('import');
let images: string;
let total = 0;
let profile: OperationProfile;

beforeAll(async () => {
  images = await writeShapesDataset(path.join(tempDir(), 'shapes'), { perClass: 50, size: 64 });
  total = 3 * 50;
  // The operation's length, measured here, so kill moments cover all of it.
  const r = await runAndKill(['import', images, '--project', path.join(tempDir(), 'reference')], Infinity);
  expect(r.code, r.stderr).toBe(0);
  expect(r.lines.at(-1)).toMatchObject({ event: 'import', status: 'done', imported: total });
  profile = profileOf(r, (l) => l.event === 'progress');
});

afterAll(() => printTally(tally, profile));

/** What a crashed import left: rows complete, leftovers only dead processes'. Returns the image count. */
function checkAfterKill(project: string, deadPids: Set<number>): number {
  if (!projectExists(project)) return 0; // died before the database was created
  expect(checkDatabase(project)).toEqual({ integrity: 'ok', foreignKeys: [] });
  const p = openProject(project); // no lock: the next command must still find the dead one's
  try {
    expect(checkRowsComplete(p)).toEqual([]);
    for (const name of tmpLeftovers(p)) expect(deadPids.has(Number(name.split('-')[0])), name).toBe(true);
    return p.images.count();
  } finally {
    p.close();
  }
}

/** The import that ends a chain of kills: takes over any stale lock and adds exactly what is missing. */
async function finishImport(project: string, have: number): Promise<void> {
  const done = await runToEnd(['import', images, '--project', project]);
  expect(done.code, `${done.stderr}\n${JSON.stringify(done.last)}`).toBe(0);
  expect(done.last).toMatchObject({ event: 'import', status: 'done', imported: total - have });
  const p = openProject(project);
  try {
    expect(p.images.count()).toBe(total);
    expect(checkRowsComplete(p)).toEqual([]);
    // Every interrupted import is recorded as failed, not left "running" for ever.
    expect(p.db.prepare("SELECT count(*) FROM imports WHERE status = 'running'").pluck().get()).toBe(0);
    bump(tally, 'thumbTmpLeftovers', tmpLeftovers(p).length);
  } finally {
    p.close();
  }
}

describe('holdout import under SIGKILL', () => {
  it('leaves whole rows only; the next import takes the lock over and completes the set', async () => {
    const random = killRandom('import');
    // Kills follow one another on one project (each import resumes what the killed one
    // left, and is the next kill point), until an import ends before its kill moment;
    // then a new project starts. Committed rows must never be lost along a chain.
    let project = '';
    let have = 0;
    let staleFrom: number | null = null; // the dead pid whose lock is still there
    const dead = new Set<number>();
    for (let i = 0; i < points; i++) {
      if (project === '') {
        project = path.join(tempDir(), 'project');
        have = 0;
        staleFrom = null;
      }
      tally.planned++;
      const moment = killMoment(random, profile, i);
      tally.delaysMs.push(moment.delayMs);
      const run = await runAndKill(['import', images, '--project', project], moment.delayMs, moment.from);
      const tookLock = run.lines.some((l) => l.event === 'progress' || l.event === 'import');
      if (staleFrom !== null && tookLock) {
        tally.staleLocksTakenOver++;
        staleFrom = null;
      }
      if (!run.killed) {
        tally.finishedFirst++;
        expect(run.code, run.stderr).toBe(0);
        expect(run.lines.at(-1)).toMatchObject({ event: 'import', status: 'done', imported: total - have });
        project = '';
        continue;
      }
      tally.tried++;
      dead.add(run.pid);
      const now = checkAfterKill(project, dead);
      expect(now, 'rows committed before a kill are never lost').toBeGreaterThanOrEqual(have);
      bump(tally, now > have ? 'killedAfterACommit' : 'killedBeforeAnyCommit');
      have = now;
      if (leftItsLock(project, run.pid)) {
        // Its lock replaced the one an earlier dead process left: that one was taken over.
        if (staleFrom !== null) tally.staleLocksTakenOver++;
        bump(tally, 'staleLocksLeft');
        staleFrom = run.pid;
      }
      tally.survived++;
    }
    if (project !== '') {
      await finishImport(project, have);
      if (staleFrom !== null) tally.staleLocksTakenOver++;
    }
    expect(tally.tried).toBeGreaterThan(0);
  }, timeout);
});

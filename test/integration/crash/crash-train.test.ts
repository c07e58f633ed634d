// `holdout train` SIGKILLed at seeded random moments (start-up, loading TensorFlow.js,
// epochs, checkpoint writes, the final bookkeeping). After each kill: the database is
// sound; every checkpoint the database points at is whole (every file present, sizes and
// sha256 as its manifest says, weights.bin matching the row's sha256), so a partial
// checkpoint can never be the one loaded; and `holdout train --resume` takes over the
// dead process's lock, resumes after the last checkpoint and completes the run, with
// every epoch recorded once.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../../electron/engine/train/checkpoints/checkpoint-files.js';
import { writeShapesDataset } from '../../helpers/shapes-dataset.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { checkDatabase, leftItsLock, withDb } from './helpers/after-crash.js';
import { runAndKill, runToEnd } from './helpers/kill-cli.js';
import { bump, crashPoints, killMoment, killRandom, newTally, printTally, profileOf, type OperationProfile } from './helpers/kill-plan.js';

const tempDir = tempDirFactory('holdout-crash-train-');
const points = crashPoints(4);
// A loaded 2-core machine: allow each point 60 s beyond the default timeout.
const timeout = 180_000 + points * 60_000;
const tally = newTally('train');
const EPOCHS = 3;
const CONFIG = { modelKind: 'small-cnn', epochs: EPOCHS, batchSize: 16, seed: 3, learningRate: 0.002, backend: 'wasm', earlyStopping: { enabled: false } };
let project: string;
let config: string;
let profile: OperationProfile;

interface CheckpointRow {
  kind: string;
  epoch: number;
  path: string;
  sha256: string;
}

function latestRun(): { id: number; status: string } | undefined {
  return withDb(project, (db) => db.prepare('SELECT id, status FROM runs ORDER BY id DESC LIMIT 1').get() as { id: number; status: string } | undefined);
}

/** Every checkpoint the database points at is whole; returns the 'last' one's epoch (0: none). */
async function checkCheckpoints(runId: number, when: 'AfterKill' | 'AfterResume'): Promise<number> {
  const rows = withDb(project, (db) => db.prepare('SELECT kind, epoch, path, sha256 FROM checkpoints WHERE run_id = ?').all(runId) as CheckpointRow[]);
  for (const row of rows) {
    const loaded = await readCheckpoint(path.join(project, row.path)); // throws CheckpointError when incomplete
    expect(loaded.sha256, `${row.kind} checkpoint of run ${runId}`).toBe(row.sha256);
    expect((loaded.state as { epoch: number }).epoch).toBe(row.epoch);
    bump(tally, 'checkpointsVerified');
  }
  // What a crash may leave in the folder besides them: temporary folders, and epochs no row points at.
  const dir = path.join(project, 'checkpoints', String(runId));
  if (fs.existsSync(dir)) {
    const referenced = new Set(rows.map((r) => path.basename(r.path)));
    for (const e of fs.readdirSync(dir)) {
      // A resume first clears what the kill left (tidyCheckpointFolder): after it, nothing but the rows' folders.
      if (when === 'AfterResume') expect(referenced.has(e), `${e} left in ${dir} after a completed resume`).toBe(true);
      if (e.startsWith('.')) {
        expect(e).toMatch(/^\.(tmp|old)-/);
        bump(tally, `tempCheckpointFolders${when}`);
      } else if (!referenced.has(e)) {
        // Not pointed at, but under a checkpoint's name: it must be whole all the same.
        await readCheckpoint(path.join(dir, e));
        bump(tally, `unreferencedCheckpointFolders${when}`);
      }
    }
  }
  return rows.find((r) => r.kind === 'last')?.epoch ?? 0;
}

beforeAll(async () => {
  const shapes = await writeShapesDataset(path.join(tempDir(), 'shapes'), { perClass: 10, size: 24, colourByClass: true });
  project = path.join(tempDir(), 'project');
  expect((await runToEnd(['import', shapes, '--project', project])).code).toBe(0);
  expect((await runToEnd(['split', '--project', project, '--seed', '1'])).code).toBe(0);
  config = path.join(tempDir(), 'config.json');
  fs.writeFileSync(config, JSON.stringify(CONFIG));
  const measured = await runAndKill(['train', '--project', project, '--config', config], Infinity);
  expect(measured.code, measured.stderr).toBe(0);
  expect(measured.lines.at(-1)).toMatchObject({ event: 'train', status: 'completed', epochs_run: EPOCHS });
  // The work starts once the run exists (the worker then loads TensorFlow.js and trains).
  profile = profileOf(measured, (l) => l.event === 'run');
});

afterAll(() => printTally(tally, profile));

describe('holdout train under SIGKILL', () => {
  it('never points at a partial checkpoint, and --resume takes the lock over and completes the run', async () => {
    const random = killRandom('train');
    for (let i = 0; i < points; i++) {
      tally.planned++;
      const before = latestRun()?.id ?? 0;
      const moment = killMoment(random, profile, i);
      tally.delaysMs.push(moment.delayMs);
      const run = await runAndKill(['train', '--project', project, '--config', config], moment.delayMs, moment.from);
      if (!run.killed) {
        tally.finishedFirst++;
        expect(run.code, run.stderr).toBe(0);
        continue;
      }
      tally.tried++;
      expect(checkDatabase(project)).toEqual({ integrity: 'ok', foreignKeys: [] });
      const stale = leftItsLock(project, run.pid);
      if (stale) bump(tally, 'staleLocksLeft');
      const killed = latestRun();
      if (!killed || killed.id === before) {
        // Died before its run was saved: the next command still has to get in.
        bump(tally, 'killedBeforeRunCreated');
        const info = await runToEnd(['train', '--project', project, '--resume', String(before)]);
        expect(info.last, 'the lock is taken over (the refusal is about the completed run, not the lock)').toMatchObject({ event: 'error', code: 'conflict', field: 'resume' });
        expect(String(info.last.message)).toMatch(/has completed/);
        if (stale) tally.staleLocksTakenOver++;
        tally.survived++;
        continue;
      }
      const lastEpoch = await checkCheckpoints(killed.id, 'AfterKill');
      if (killed.status === 'completed') {
        bump(tally, 'killedAfterCompleting');
        tally.survived++;
        continue;
      }
      bump(tally, `killedWithLastCheckpointAtEpoch${lastEpoch}`);

      const resumed = await runToEnd(['train', '--project', project, '--resume', String(killed.id)]);
      expect(resumed.code, `${resumed.stderr}\n${JSON.stringify(resumed.last)}`).toBe(0);
      if (stale) tally.staleLocksTakenOver++;
      expect(resumed.last).toMatchObject({ event: 'train', run_id: killed.id, status: 'completed', epochs_run: EPOCHS });
      if (lastEpoch > 0) {
        expect(resumed.lines.some((l) => l.event === 'status' && String(l.message).startsWith(`Resumed after epoch ${lastEpoch}`)), 'resumed from its last checkpoint').toBe(true);
      }
      const epochs = resumed.lines.filter((l) => l.event === 'epoch').map((l) => l.epoch);
      expect(epochs).toEqual(Array.from({ length: EPOCHS - lastEpoch }, (_, k) => lastEpoch + 1 + k));
      const recorded = withDb(project, (db) => db.prepare('SELECT epoch FROM run_epochs WHERE run_id = ? ORDER BY epoch').pluck().all(killed.id));
      expect(recorded).toEqual(Array.from({ length: EPOCHS }, (_, k) => k + 1));
      await checkCheckpoints(killed.id, 'AfterResume');
      tally.survived++;
    }
    expect(tally.tried).toBeGreaterThan(0);
  }, timeout);
});

// `holdout label --csv` SIGKILLed at seeded random moments. What counts as acknowledged
// is exact: a command whose `label` line (printed only after its transaction committed)
// reached us with no errors. The test keeps the labels every acknowledged command set, in
// order, and after each kill checks the database against them: every acknowledged change
// is there, nothing else changed, and the killed command applied all of its changes or
// none (it may have committed before its line was printed: then it counts from there on).
// Each kill is followed by a command that must take over the dead process's lock.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeShapesDataset } from '../../helpers/shapes-dataset.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { checkDatabase, leftItsLock, withDb } from './helpers/after-crash.js';
import { runAndKill, runToEnd } from './helpers/kill-cli.js';
import { bump, crashPoints, killMoment, killRandom, newTally, printTally, type OperationProfile } from './helpers/kill-plan.js';

const tempDir = tempDirFactory('holdout-crash-label-');
const points = crashPoints(4);
// A loaded 2-core machine: allow each point 20 s beyond the default timeout.
const timeout = 180_000 + points * 20_000;
const tally = newTally('label');
const LABELS = ['circle', 'square', 'triangle', 'blob', 'Blob', ''] as const; // '' unlabels; 'Blob' matches 'blob'
let project: string;
let csvDir: string;
let images: { id: number; path: string }[];
let profile: OperationProfile = { totalMs: 1000, workStarts: {}, workStartMs: 0 };

/** Each image's class name as the database has it (null: unlabeled). */
function labelsInDb(): Map<number, string | null> {
  return withDb(project, (db) => {
    const rows = db.prepare('SELECT i.id, c.name FROM images i LEFT JOIN classes c ON c.id = i.class_id').raw().all() as [number, string | null][];
    return new Map(rows);
  });
}

/** A CSV giving a random third of the images random labels; returns its file and what it asks for. */
function randomCsv(random: () => number, n: number): { file: string; wanted: Map<number, string | null> } {
  const wanted = new Map<number, string | null>();
  const lines = ['path,label'];
  for (const img of images) {
    if (random() > 0.34) continue;
    const label = LABELS[Math.floor(random() * LABELS.length)]!;
    lines.push(`"${img.path.replace(/"/g, '""')}",${label}`);
    wanted.set(img.id, label);
  }
  const file = path.join(csvDir, `labels-${n}.csv`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return { file, wanted };
}

/** Every class name the project has, by its name in lower case (classes are matched without regard to case). */
const spelled = new Map<string, string>();

/** What `wanted` does to `model`: a class keeps the spelling it was created with. */
function apply(model: Map<number, string | null>, wanted: Map<number, string | null>): void {
  for (const [id, label] of wanted) {
    if (label === null || label === '') {
      model.set(id, null);
      continue;
    }
    const known = spelled.get(label.toLowerCase()) ?? label;
    spelled.set(label.toLowerCase(), known);
    model.set(id, known);
  }
}

const sameLabel = (a: string | null | undefined, b: string | null | undefined) => (a ?? null)?.toLowerCase() === (b ?? null)?.toLowerCase();

beforeAll(async () => {
  const dir = tempDir();
  const shapes = await writeShapesDataset(path.join(dir, 'shapes'), { perClass: 30, size: 24 });
  project = path.join(dir, 'project');
  csvDir = path.join(dir, 'csv');
  fs.mkdirSync(csvDir);
  const imp = await runToEnd(['import', shapes, '--project', project]);
  expect(imp.code, imp.stderr).toBe(0);
  images = withDb(project, (db) => db.prepare('SELECT id, path FROM images ORDER BY id').all() as { id: number; path: string }[]);
  expect(images.length).toBe(90);
});

afterAll(() => printTally(tally, profile));

describe('holdout label under SIGKILL', () => {
  it('keeps every acknowledged change, applies a killed command whole or not at all, and takes the lock over', async () => {
    const random = killRandom('label');
    const model = labelsInDb(); // the truth: what the acknowledged commands made
    for (const name of model.values()) if (name !== null) spelled.set(name.toLowerCase(), name);
    let n = 0;
    for (let i = 0; i < points; i++) {
      // An acknowledged command: its line came back, so its changes must survive.
      const ack = randomCsv(random, n++);
      // Run to its end, measured: its length and when it took the lock place the next kill.
      const ok = await runAndKill(['label', '--project', project, '--csv', ack.file, '--create-classes'], Infinity, { lockIn: project });
      expect(ok.code, `${ok.stderr}\n${JSON.stringify(ok.lines)}`).toBe(0);
      expect(ok.lines.at(-1)).toMatchObject({ event: 'label', errors: [] });
      if (ok.lockMs !== null) profile = { totalMs: ok.ms, workStarts: { lockIn: project }, workStartMs: ok.lockMs };
      if (i > 0 && tally.details.staleLocksPending) {
        tally.staleLocksTakenOver++;
        tally.details.staleLocksPending = 0;
      }
      apply(model, ack.wanted);
      bump(tally, 'acknowledgedCommands');
      expect(labelsInDb()).toEqual(model);

      // A command killed at a random moment of its run.
      tally.planned++;
      const doomed = randomCsv(random, n++);
      const moment = killMoment(random, profile, i);
      tally.delaysMs.push(moment.delayMs);
      const run = await runAndKill(['label', '--project', project, '--csv', doomed.file, '--create-classes'], moment.delayMs, moment.from);
      const acknowledged = run.lines.some((l) => l.event === 'label' && Array.isArray(l.errors) && l.errors.length === 0);
      if (!run.killed) {
        tally.finishedFirst++;
        expect(run.code, run.stderr).toBe(0);
        apply(model, doomed.wanted);
        expect(labelsInDb()).toEqual(model);
        continue;
      }
      tally.tried++;
      expect(checkDatabase(project)).toEqual({ integrity: 'ok', foreignKeys: [] });
      const db = labelsInDb();
      // Whole or nothing: look only at the images this command would change.
      const changing = [...doomed.wanted].filter(([id, label]) => !sameLabel(model.get(id), label === '' ? null : label));
      const applied = changing.filter(([id, label]) => sameLabel(db.get(id), label === '' ? null : label)).length;
      expect([0, changing.length], `the killed command applied ${applied} of its ${changing.length} changes`).toContain(applied);
      if (acknowledged) expect(applied, 'an acknowledged command is applied').toBe(changing.length);
      if (applied > 0 || acknowledged) apply(model, doomed.wanted);
      bump(tally, acknowledged ? 'killedAfterAcknowledging' : applied > 0 && changing.length > 0 ? 'killedCommittedUnacknowledged' : 'killedBeforeCommit');
      expect(db, 'every acknowledged change is there and nothing else changed').toEqual(model);
      if (leftItsLock(project, run.pid)) {
        bump(tally, 'staleLocksLeft');
        tally.details.staleLocksPending = 1;
      }
      tally.survived++;
    }
    // The last kill's lock, if any, is taken over by one more command.
    const last = await runToEnd(['label', '--project', project, '--csv', randomCsv(random, n++).file, '--create-classes']);
    expect(last.code, last.stderr).toBe(0);
    if (tally.details.staleLocksPending) tally.staleLocksTakenOver++;
    delete tally.details.staleLocksPending;
    expect(tally.tried).toBeGreaterThan(0);
  }, timeout);
});

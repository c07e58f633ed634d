// `holdout export` SIGKILLed at seeded random moments (loading, writing the model, the
// parity check in its own process, the model card, the move into place), always into the
// same folder, which holds an earlier export, so kills also hit its replacement. After each
// kill the folder is whole (exactly the files of a reference export, the model and labels
// byte for byte, a model card whose parity check passed) or absent; a last export into
// it completes. Export only reads the project, so it takes no lock and the database is
// only checked to be sound.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles } from '../../../electron/engine/export/export-folder.js';
import { writeShapesDataset } from '../../helpers/shapes-dataset.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { checkDatabase } from './helpers/after-crash.js';
import { runAndKill, runToEnd } from './helpers/kill-cli.js';
import { bump, crashPoints, killMoment, killRandom, newTally, printTally, profileOf, type OperationProfile } from './helpers/kill-plan.js';

const tempDir = tempDirFactory('holdout-crash-export-');
const points = crashPoints(4);
// A loaded 2-core machine: allow each point 30 s beyond the default timeout.
const timeout = 180_000 + points * 30_000;
const tally = newTally('export');
let project: string;
let runId: number;
let reference: string;
let referenceFiles: string[];
let profile: OperationProfile;
/** Files that must be byte-identical to the reference's (the card holds times and parity numbers). */
const SAME_BYTES = ['labels.json', 'preprocessing.json', 'model/model.json', 'model/weights.bin'];

beforeAll(async () => {
  const shapes = await writeShapesDataset(path.join(tempDir(), 'shapes'), { perClass: 8, size: 24, colourByClass: true });
  project = path.join(tempDir(), 'project');
  expect((await runToEnd(['import', shapes, '--project', project])).code).toBe(0);
  expect((await runToEnd(['split', '--project', project, '--seed', '1'])).code).toBe(0);
  const config = path.join(tempDir(), 'config.json');
  fs.writeFileSync(config, JSON.stringify({ modelKind: 'small-cnn', epochs: 1, batchSize: 16, seed: 3, backend: 'wasm' }));
  const train = await runToEnd(['train', '--project', project, '--config', config]);
  expect(train.code, train.stderr).toBe(0);
  runId = train.last.run_id as number;
  reference = path.join(tempDir(), 'reference');
  const measured = await runAndKill(['export', '--project', project, '--run', String(runId), '--out', reference], Infinity);
  expect(measured.code, measured.stderr).toBe(0);
  referenceFiles = listFiles(reference);
  expect(referenceFiles).toEqual(expect.arrayContaining(['model-card.json', ...SAME_BYTES]));
  profile = profileOf(measured, (l) => l.event === 'phase');
});

afterAll(() => printTally(tally, profile));

/** The export folder is whole (true) or absent (false); anything else fails the test. */
function wholeOrAbsent(out: string): boolean {
  if (!fs.existsSync(out)) return false;
  expect(listFiles(out)).toEqual(referenceFiles);
  for (const f of SAME_BYTES) expect(fs.readFileSync(path.join(out, f)).equals(fs.readFileSync(path.join(reference, f))), f).toBe(true);
  const card = JSON.parse(fs.readFileSync(path.join(out, 'model-card.json'), 'utf8')) as { format: string; parity: { passed: boolean } };
  expect(card.format).toBe('holdout-export');
  expect(card.parity.passed).toBe(true);
  return true;
}

/** Hidden folders an interrupted export left beside the target (its staging and set-aside folders). */
function leftovers(parent: string): string[] {
  return fs.readdirSync(parent).filter((e) => e.startsWith('.'));
}

describe('holdout export under SIGKILL', () => {
  it('leaves the export folder whole or absent, and a later export into it completes', async () => {
    const random = killRandom('export');
    const parent = tempDir();
    const out = path.join(parent, 'export');
    // An earlier export is there to begin with: every kill also tests its replacement.
    fs.cpSync(reference, out, { recursive: true });
    let present = true;
    for (let i = 0; i < points; i++) {
      tally.planned++;
      const moment = killMoment(random, profile, i);
      tally.delaysMs.push(moment.delayMs);
      const run = await runAndKill(['export', '--project', project, '--run', String(runId), '--out', out], moment.delayMs, moment.from);
      if (!run.killed) {
        tally.finishedFirst++;
        expect(run.code, run.stderr).toBe(0);
        expect(wholeOrAbsent(out)).toBe(true);
        present = true;
        continue;
      }
      tally.tried++;
      expect(checkDatabase(project)).toEqual({ integrity: 'ok', foreignKeys: [] });
      const now = wholeOrAbsent(out);
      // An earlier export that is gone after the kill was set aside and not put back.
      if (present && !now) bump(tally, 'earlierExportLostFromView');
      bump(tally, now ? 'killedWithWholeExport' : 'killedWithNoExport');
      present = now;
      tally.survived++;
    }
    bump(tally, 'hiddenLeftoversBesideTarget', leftovers(parent).length);
    const last = await runToEnd(['export', '--project', project, '--run', String(runId), '--out', out]);
    expect(last.code, `${last.stderr}\n${JSON.stringify(last.last)}`).toBe(0);
    expect(wholeOrAbsent(out)).toBe(true);
    // The next export swept what the killed ones left beside the target (sweepDeadExports).
    expect(leftovers(parent)).toEqual([]);
    expect(tally.tried).toBeGreaterThan(0);
  }, timeout);
});

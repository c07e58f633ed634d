// A project with trained runs for the predict tests: coloured 32 px shapes imported and
// split through the service (as the UI does), one small CNN run, and, when asked, a
// two-member ensemble of differently-seeded small CNNs. Real sharp, SQLite and TF.js.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { openDatabase } from '../../../electron/engine/store/database.js';
import { RunsRepo } from '../../../electron/engine/store/runs-repo.js';
import { createRun } from '../../../electron/engine/train/run/create-run.js';
import { runTraining } from '../../../electron/engine/train/run/run-training.js';
import { trainFixture, type TrainFixture } from '../../unit/service/train-fixture.js';

export const SMALL_CNN = { modelKind: 'small-cnn', epochs: 3, batchSize: 16, learningRate: 0.003, earlyStopping: { enabled: false } };

export interface PredictFixture extends TrainFixture {
  runId: number;
  ensembleId: number | null;
  memberIds: number[];
}

async function train(projectDir: string, runId: number): Promise<void> {
  const summary = await runTraining({ projectDir, runId, emit: () => undefined, shouldStop: () => false });
  if (summary.status !== 'completed') throw new Error(`run ${runId} ended ${summary.status}`);
}

export async function predictFixture(root: string, opts: { ensemble?: boolean } = {}): Promise<PredictFixture> {
  const fixture = await trainFixture(root, { perClass: 12, size: 32 });
  const db = openDatabase(path.join(fixture.projectDir, 'holdout.db'));
  let runId: number;
  let ensembleId: number | null = null;
  let memberIds: number[] = [];
  try {
    runId = createRun(db, { ...SMALL_CNN, seed: 1, name: 'single' }).id;
    if (opts.ensemble) {
      ensembleId = createRun(db, { ...SMALL_CNN, seed: 5, name: 'pair', ensembleSize: 2 }).id;
      memberIds = new RunsRepo(db).members(ensembleId).map((m) => m.id);
    }
  } finally {
    db.close();
  }
  await train(fixture.projectDir, runId);
  for (const id of memberIds) await train(fixture.projectDir, id);
  return { ...fixture, runId, ensembleId, memberIds };
}

/** Three flat-coloured 32 px PNGs (one in a sub-folder) and a broken one, in path order: broken, one, sub/two, three. */
export async function writeNewImages(dir: string): Promise<string[]> {
  fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
  const files = [path.join(dir, 'one.png'), path.join(dir, 'sub', 'two.png'), path.join(dir, 'three.png')];
  for (const [i, f] of files.entries()) {
    const px = Buffer.alloc(32 * 32 * 3, 40 + 60 * i);
    await sharp(px, { raw: { width: 32, height: 32, channels: 3 } }).png().toFile(f);
  }
  fs.writeFileSync(path.join(dir, 'broken.png'), 'not a png');
  return files;
}

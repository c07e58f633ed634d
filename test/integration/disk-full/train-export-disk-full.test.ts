// Checkpointing and export on a real disk that is full (a small tmpfs, filled up): the
// failed run says the disk is full, names the checkpoint and folder, keeps its earlier
// checkpoint whole and no partial one, and resumes from it once space is freed; an
// export onto a full disk leaves nothing half-written where the user asked (an earlier
// export there stays as it was) and says what to do. Real TF.js, SQLite and sharp.
//
// Without the right to mount (non-root), the export part runs the real CLI under a file
// size limit (RLIMIT_FSIZE → EFBIG) instead; the checkpoint part is skipped with a message.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../electron/api/errors.js';
import { exportRun } from '../../../electron/engine/export/export-run.js';
import { openDatabase } from '../../../electron/engine/store/database.js';
import { RunsRepo } from '../../../electron/engine/store/runs-repo.js';
import { readCheckpoint } from '../../../electron/engine/train/checkpoints/checkpoint-files.js';
import { createRun } from '../../../electron/engine/train/run/create-run.js';
import { runTraining } from '../../../electron/engine/train/run/run-training.js';
import { runCli } from '../../helpers/run-cli.js';
import { writeShapesDataset } from '../../helpers/shapes-dataset.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { isMounted, listAll, mountSmallDisk, type SmallDisk } from './small-disk.js';
import { sourceCli } from './source-cli.js';

const tempDir = tempDirFactory('holdout-disk-full-train-');
const SETTINGS = { modelKind: 'small-cnn', epochs: 3, batchSize: 8, earlyStopping: { enabled: false }, backend: 'wasm', seed: 2 };
const DISK_KIB = 24 * 1024;

// HOLDOUT_TEST_NO_MOUNT=1 runs the fallback on purpose (to check it where mounting works).
const mounted = process.env.HOLDOUT_TEST_NO_MOUNT ? { unavailable: 'HOLDOUT_TEST_NO_MOUNT is set' } : mountSmallDisk(tempDir(), DISK_KIB);
const disk: SmallDisk | null = isMounted(mounted) ? mounted : null;
if (disk) console.info(`disk-full checkpoint/export tests: a real ${DISK_KIB} KiB tmpfs at ${disk.dir}`);
else console.warn(`disk-full checkpoint/export tests: ${'unavailable' in mounted ? mounted.unavailable : ''}: checkpoint tests SKIPPED (they need a full disk under the project); export runs under RLIMIT_FSIZE (EFBIG) instead`);
afterAll(() => disk?.unmount());
afterEach(() => disk?.free());

function digest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of listAll(dir)) {
    const p = path.join(dir, rel);
    out[rel] = fs.statSync(p).isFile() ? crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex') : 'dir';
  }
  return out;
}

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'expected the export to fail').toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('checkpointing and export on a full disk', () => {
  let project: string;
  let db: ReturnType<typeof openDatabase>;
  let runId: number;
  beforeAll(async () => {
    const images = await writeShapesDataset(path.join(tempDir(), 'shapes'), { perClass: 8, size: 32, colourByClass: true });
    project = path.join(disk?.dir ?? tempDir(), 'project');
    expect((await runCli(['import', images, '--project', project])).code).toBe(0);
    expect((await runCli(['split', '--project', project, '--seed', '3'])).code).toBe(0);
    db = openDatabase(path.join(project, 'holdout.db'));
    runId = createRun(db, SETTINGS).id;
  });
  afterAll(() => db?.close());

  it.skipIf(!disk)('a checkpoint that does not fit: the run fails saying so, keeps its last whole checkpoint, and resumes from it once space is freed', async () => {
    const checkpoints = path.join(project, 'checkpoints', String(runId));
    let filled = false;
    const first = await runTraining({
      projectDir: project,
      runId,
      shouldStop: () => false,
      emit(e) {
        // After epoch 1 is saved and recorded, the disk fills up (room left for the
        // database's few rows, not for a checkpoint's weights).
        if (e.type === 'epoch' && e.epoch === 1 && !filled) {
          filled = true;
          disk!.fill(64 * 1024);
        }
      },
    });
    expect(filled).toBe(true);
    expect(first.status).toBe('failed');
    expect(first.error).toMatch(/^The disk is full: checkpoint epoch-0002 could not be written to .*checkpoints\/\d+\. Free some space on that disk.*then resume the run/);
    expect(first.error).toContain(checkpoints);
    expect(first.error).toMatch(/this checkpoint was not saved \(nothing partial was left\)/i);
    // No partial checkpoint: only epoch 1's folder, no temporary leftovers.
    expect(fs.readdirSync(checkpoints)).toEqual(['epoch-0001']);
    const runs = new RunsRepo(db);
    expect(runs.checkpoint(runId, 'last')?.epoch).toBe(1);
    expect((await readCheckpoint(path.join(checkpoints, 'epoch-0001'))).manifest.name).toBe('epoch-0001');
    disk!.free();
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');

    const resumed = await runTraining({ projectDir: project, runId, shouldStop: () => false, emit: () => undefined });
    expect(resumed.status, resumed.error ?? '').toBe('completed');
    expect(resumed.epochsRun).toBe(SETTINGS.epochs);
    expect(fs.readdirSync(checkpoints).every((n) => /^epoch-\d{4}$/.test(n))).toBe(true);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it.skipIf(!disk)('an export onto a full disk leaves nothing where the user asked; an earlier export there stays as it was', async () => {
    if (new RunsRepo(db).get(runId)?.status !== 'completed') {
      expect((await runTraining({ projectDir: project, runId, shouldStop: () => false, emit: () => undefined })).status).toBe('completed');
    }
    const target = path.join(disk!.dir, 'exports', 'my-model');
    fs.mkdirSync(path.dirname(target));
    disk!.fill(16 * 1024);
    const err = await rejection(exportRun(db, project, runId, target));
    expect(err.code).toBe('io_error');
    expect(err.field).toBe('outDir');
    expect(err.message).toMatch(/^The disk is full: the export could not be written to .*my-model\. Free some space on that disk.*then export again\. Nothing was left half-written/);
    expect(listAll(path.dirname(target))).toEqual([]);
    disk!.free();

    // An earlier export at the target is the user's: a failed export must not touch it.
    await exportRun(db, project, runId, target);
    const before = digest(target);
    disk!.fill(16 * 1024);
    await rejection(exportRun(db, project, runId, target));
    expect(digest(target)).toEqual(before);
    expect(listAll(path.dirname(target)).filter((n) => !n.startsWith('my-model'))).toEqual([]);
    disk!.free();
    const ok = await exportRun(db, project, runId, target);
    expect(ok.parity.passed).toBe(true);
  });

  // Runs everywhere (no mount needed): the one disk-full path a non-root machine can check.
  it('an export under a file size limit (EFBIG) says the file is too large, and leaves nothing', async () => {
    if (new RunsRepo(db).get(runId)!.status !== 'completed') {
      expect((await runTraining({ projectDir: project, runId, shouldStop: () => false, emit: () => undefined })).status).toBe('completed');
    }
    const parent = tempDir('out');
    const target = path.join(parent, 'my-model');
    const r = await sourceCli(['export', '--project', project, '--run', String(runId), '--out', target], { fileSizeLimitKiB: 8 });
    expect(r.code, r.stderr).toBe(1);
    expect(r.last).toMatchObject({ event: 'error', code: 'io_error', field: 'outDir' });
    expect(r.last.message).toMatch(/^The file would be larger than this disk or system allows: the export could not be written to .*my-model\..*then export again/);
    expect(listAll(parent)).toEqual([]);
  });
});

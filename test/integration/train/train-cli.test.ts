// `holdout train` as a user runs it, on real images generated here (coloured shapes
// rendered by sharp), imported and split by the real commands, trained by real
// TensorFlow.js on the WebAssembly backend in a worker. Covers: training to a high
// validation accuracy, the best checkpoint reproducing the reported accuracy, early
// stopping on a task that can only be memorised, a SIGKILL mid-run followed by
// --resume, and bad configurations refused naming the field.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { holdoutBin, repoRoot, runCli } from '../../helpers/run-cli.js';
import { writeShapesDataset } from '../../helpers/shapes-dataset.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { reproduceValidation } from './reproduce-validation.js';

const tempDir = tempDirFactory('holdout-train-cli-');

async function projectFrom(images: string, seed = 1): Promise<string> {
  const project = path.join(tempDir(), 'project');
  const imp = await runCli(['import', images, '--project', project]);
  expect(imp.code, imp.stderr).toBe(0);
  const split = await runCli(['split', '--project', project, '--seed', String(seed)]);
  expect(split.code, split.stderr).toBe(0);
  return project;
}

function writeConfig(config: unknown): string {
  const file = path.join(tempDir(), 'config.json');
  fs.writeFileSync(file, JSON.stringify(config));
  return file;
}

const SMALL_CNN = { modelKind: 'small-cnn', epochs: 10, batchSize: 16, seed: 3, learningRate: 0.002 };

describe('holdout train', () => {
  let shapesProject: string;
  beforeAll(async () => {
    const images = await writeShapesDataset(path.join(tempDir(), 'shapes'), { perClass: 40, size: 32, colourByClass: true });
    shapesProject = await projectFrom(images);
  });

  it('trains a small CNN on real images to a high validation accuracy, reporting the backend on every line', async () => {
    const r = await runCli(['train', '--project', shapesProject, '--config', writeConfig(SMALL_CNN)]);
    expect(r.code, r.stderr).toBe(0);
    const last = r.last as Record<string, any>;
    expect(last).toMatchObject({ event: 'train', status: 'completed', model_kind: 'small-cnn', backend: expect.stringMatching(/^CPU \(WebAssembly/) });
    expect(last.best_val_accuracy).toBeGreaterThanOrEqual(0.9);
    expect(last.epochs_run).toBeGreaterThan(0);
    for (const line of r.lines.filter((l) => l.event !== 'run')) expect(line.backend, JSON.stringify(line)).toMatch(/WebAssembly/);
    const epochs = r.lines.filter((l) => l.event === 'epoch');
    expect(epochs.map((e) => e.epoch)).toEqual(Array.from({ length: last.epochs_run }, (_, i) => i + 1));

    // The run record and its checkpoints agree with what was printed.
    const db = new Database(path.join(shapesProject, 'holdout.db'), { readonly: true });
    const run = db.prepare('SELECT * FROM runs WHERE id = ?').get(last.run_id) as Record<string, any>;
    const ckpts = db.prepare('SELECT kind, epoch, path FROM checkpoints WHERE run_id = ? ORDER BY kind').all(last.run_id) as { kind: string; epoch: number; path: string }[];
    db.close();
    expect(run).toMatchObject({ status: 'completed', best_epoch: last.best_epoch, backend: last.backend, model_kind: 'small-cnn' });
    expect(ckpts.map((c) => c.kind)).toEqual(['best', 'last']);
    expect(ckpts[0]!.epoch).toBe(last.best_epoch);
    expect(ckpts[1]!.epoch).toBe(last.epochs_run);
    for (const c of ckpts) expect(fs.existsSync(path.join(shapesProject, c.path, 'manifest.json'))).toBe(true);

    // The best checkpoint, loaded fresh, scores what the run reported for its best epoch.
    const again = await reproduceValidation(shapesProject, last.run_id);
    expect(again.accuracy).toBeCloseTo(last.best_val_accuracy, 3);
  });

  it('stops early on a task that can only be memorised, keeping the best epoch', async () => {
    // Labels that have nothing to do with the pictures: the training loss falls while the
    // validation loss rises, which is what early stopping exists for.
    const root = path.join(tempDir(), 'random-labels');
    const shapes = await writeShapesDataset(path.join(tempDir(), 'src'), { perClass: 30, size: 24 });
    let n = 0;
    for (const shape of fs.readdirSync(shapes)) {
      for (const f of fs.readdirSync(path.join(shapes, shape))) {
        const cls = ['odd', 'even'][(n++ * 7919) % 3 === 0 ? 0 : 1]!;
        fs.mkdirSync(path.join(root, cls), { recursive: true });
        fs.copyFileSync(path.join(shapes, shape, f), path.join(root, cls, f));
      }
    }
    const project = await projectFrom(root, 2);
    const config = { modelKind: 'small-cnn', epochs: 40, batchSize: 8, seed: 1, augmentation: 'none', dropout: 0, learningRate: 0.003, earlyStopping: { patience: 3 } };
    const r = await runCli(['train', '--project', project, '--config', writeConfig(config)]);
    expect(r.code, r.stderr).toBe(0);
    const last = r.last as Record<string, any>;
    expect(last.stopped_early).toBe(true);
    expect(last.epochs_run).toBeLessThan(40);
    expect(last.best_epoch).toBe(last.epochs_run - 3);
    expect(last.stop_reason).toMatch(/early stopping/);
    const epochs = r.lines.filter((l) => l.event === 'epoch') as Record<string, any>[];
    // It memorised: training loss at the end well below the validation loss.
    expect(epochs.at(-1)!.train_loss).toBeLessThan(epochs.at(-1)!.val_loss);
  });

  it('resumes a run killed mid-training from its last checkpoint and finishes it', async () => {
    const config = { ...SMALL_CNN, epochs: 8, earlyStopping: { enabled: false } };
    const child = spawn(process.execPath, [holdoutBin, 'train', '--project', shapesProject, '--config', writeConfig(config)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const killedAfter = await new Promise<number>((resolve, reject) => {
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const epochs = out.split('\n').filter((l) => l.includes('"event":"epoch"'));
        if (epochs.length >= 3) {
          child.kill('SIGKILL');
          resolve(epochs.length);
        }
      });
      child.on('exit', (code) => reject(new Error(`train exited (${code}) before it could be killed:\n${out}`)));
    });
    await new Promise((r) => child.once('close', r));
    const runId = (JSON.parse(out.split('\n')[0]!) as { run_id: number }).run_id;

    const db = new Database(path.join(shapesProject, 'holdout.db'), { readonly: true });
    const status = db.prepare('SELECT status FROM runs WHERE id = ?').pluck().get(runId);
    const lastCkpt = db.prepare("SELECT epoch FROM checkpoints WHERE run_id = ? AND kind = 'last'").pluck().get(runId) as number;
    db.close();
    expect(status).toBe('running'); // what a crash leaves behind
    expect(lastCkpt).toBeGreaterThanOrEqual(killedAfter - 1);

    const resumed = await runCli(['train', '--project', shapesProject, '--resume', String(runId)]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.lines.some((l) => l.event === 'status' && String(l.message).startsWith(`Resumed after epoch ${lastCkpt}`))).toBe(true);
    const epochs = resumed.lines.filter((l) => l.event === 'epoch').map((l) => l.epoch);
    expect(epochs[0]).toBe(lastCkpt + 1);
    expect(resumed.last).toMatchObject({ event: 'train', run_id: runId, status: 'completed', epochs_run: 8 });

    const db2 = new Database(path.join(shapesProject, 'holdout.db'), { readonly: true });
    const recorded = db2.prepare('SELECT epoch FROM run_epochs WHERE run_id = ? ORDER BY epoch').pluck().all(runId);
    db2.close();
    expect(recorded).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // No leftovers of an interrupted checkpoint write remain visible.
    const dirs = fs.readdirSync(path.join(shapesProject, 'checkpoints', String(runId))).filter((d) => !d.startsWith('.'));
    for (const d of dirs) expect(fs.existsSync(path.join(shapesProject, 'checkpoints', String(runId), d, 'manifest.json'))).toBe(true);

    const again = await runCli(['train', '--project', shapesProject, '--resume', String(runId)]);
    expect(again.code).toBe(1);
    expect(again.last).toMatchObject({ event: 'error', code: 'conflict', field: 'resume' });
  });

  it('refuses bad configurations naming the field, before any run is created', async () => {
    const before = runCount(shapesProject);
    const cases: [unknown, string][] = [
      [{ epochs: 0 }, 'epochs'],
      [{ epoch: 5 }, 'epoch'],
      [{ optimizer: 'rmsprop' }, 'optimizer'],
      [{ earlyStopping: { patience: -1 } }, 'earlyStopping.patience'],
      [{ augmentation: { rotation: 90 } }, 'augmentation.rotation'],
      [{ splitVersion: 99 }, 'splitVersion'],
    ];
    for (const [config, field] of cases) {
      const r = await runCli(['train', '--project', shapesProject, '--config', writeConfig(config)]);
      expect(r.code, JSON.stringify(config)).toBe(1);
      expect(r.last, JSON.stringify(config)).toMatchObject({ event: 'error', field });
    }
    const notJson = path.join(tempDir(), 'bad.json');
    fs.writeFileSync(notJson, '{"epochs": 3,');
    expect((await runCli(['train', '--project', shapesProject, '--config', notJson])).last).toMatchObject({ event: 'error', field: 'config', message: expect.stringContaining(notJson) });
    expect((await runCli(['train', '--project', shapesProject, '--config', path.join(tempDir(), 'missing.json')])).last).toMatchObject({ event: 'error', code: 'not_found', field: 'config' });
    expect((await runCli(['train', '--project', shapesProject, '--resume', '999'])).last).toMatchObject({ event: 'error', code: 'not_found', field: 'resume' });
    expect((await runCli(['train', '--project', shapesProject, '--resume', 'x'])).code).toBe(2);
    expect(runCount(shapesProject)).toBe(before);
  });

  it('refuses a split in which a class has no training images, naming the class', async () => {
    const images = await writeShapesDataset(path.join(tempDir(), 'two'), { perClass: 12, size: 24, colourByClass: true, shapes: ['circle', 'square'] });
    const project = await projectFrom(images, 4);
    // Relabel every training circle as a square: circles then exist only outside train.
    const db = new Database(path.join(project, 'holdout.db'));
    db.prepare(
      `UPDATE images SET class_id = (SELECT id FROM classes WHERE name = 'square')
        WHERE class_id = (SELECT id FROM classes WHERE name = 'circle')
          AND id IN (SELECT image_id FROM split_assignments WHERE split = 'train')`,
    ).run();
    db.close();
    const r = await runCli(['train', '--project', project]);
    expect(r.code).toBe(1);
    expect(r.last).toMatchObject({ event: 'error', code: 'conflict', field: 'splitVersion', message: expect.stringContaining('class "circle" has no training images') });
  });
});

function runCount(project: string): number {
  const db = new Database(path.join(project, 'holdout.db'), { readonly: true });
  const n = db.prepare('SELECT count(*) FROM runs').pluck().get() as number;
  db.close();
  return n;
}

// Keep sharp's cache from holding the generated files open between tests.
sharp.cache(false);

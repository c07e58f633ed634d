// Every model kind trains end to end on real images through the same run code, on the
// WebAssembly backend with Holdout's gradient kernels: the small Vision Transformer
// and fine-tuning the bundled MobileNetV2 (depthwise-convolution gradients). Each
// run's best checkpoint loads back and predicts probabilities.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/engine/store/database.js';
import { createRun } from '../../../electron/engine/train/run/create-run.js';
import { loadRunModel } from '../../../electron/engine/train/run/load-run-model.js';
import type { TrainProgress } from '../../../electron/engine/train/run/progress.js';
import { runTraining } from '../../../electron/engine/train/run/run-training.js';
import { runCli } from '../../helpers/run-cli.js';
import { writeShapesDataset } from '../../helpers/shapes-dataset.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-kinds-');

async function project(perClass: number, size: number): Promise<string> {
  const images = await writeShapesDataset(path.join(tempDir(), 'img'), { perClass, size, colourByClass: true, shapes: ['circle', 'square'] });
  const dir = path.join(tempDir(), 'project');
  expect((await runCli(['import', images, '--project', dir])).code).toBe(0);
  expect((await runCli(['split', '--project', dir, '--seed', '5'])).code).toBe(0);
  return dir;
}

async function trainAndLoad(dir: string, config: unknown) {
  const db = openDatabase(path.join(dir, 'holdout.db'));
  try {
    const run = createRun(db, config);
    const events: TrainProgress[] = [];
    const summary = await runTraining({ projectDir: dir, runId: run.id, emit: (e) => events.push(e), shouldStop: () => false });
    const loaded = await loadRunModel(db, dir, run.id);
    return { summary, events, loaded };
  } finally {
    db.close();
  }
}

describe('model kinds', () => {
  let small: string;
  beforeAll(async () => {
    small = await project(24, 24);
  });

  it('trains the small Vision Transformer from scratch, and its checkpoint (custom layers) loads back', async () => {
    const { summary, loaded } = await trainAndLoad(small, { modelKind: 'small-vit', epochs: 3, batchSize: 8, seed: 2, earlyStopping: { enabled: false } });
    expect(summary).toMatchObject({ status: 'completed', modelKind: 'small-vit', epochsRun: 3 });
    expect(summary.bestValAccuracy).not.toBeNull();
    expect(loaded.state).toMatchObject({ modelKind: 'small-vit', input: { size: 24, channels: 3 }, classes: ['circle', 'square'] });
    const p = loaded.model.predict(tf.zeros([2, 24, 24, 3])) as tf.Tensor;
    const sums = (await p.sum(-1).data()) as Float32Array;
    for (const v of sums) expect(v).toBeCloseTo(1, 5);
    p.dispose();
    loaded.model.dispose();
  });

  it('fine-tunes the top block of the bundled MobileNetV2 on photo-sized images', async () => {
    const photos = await project(8, 96);
    const { summary, events, loaded } = await trainAndLoad(photos, {
      modelKind: 'fine-tune',
      fineTuneBlocks: 1,
      epochs: 1,
      batchSize: 4,
      seed: 2,
      augmentation: 'none',
    });
    expect(summary, JSON.stringify(summary)).toMatchObject({ status: 'completed', modelKind: 'fine-tune', epochsRun: 1 });
    const reason = events.find((e) => e.type === 'status' && e.message.startsWith('Model:'));
    expect(reason && reason.type === 'status' && reason.message).toMatch(/fine-tuning the top 1 blocks of/);
    expect(loaded.state.input).toMatchObject({ size: 224, channels: 3, backboneId: 'nsfwjs-mobilenet-v2' });
    loaded.model.dispose();
  });
});

// Fine-tuning the bundled MobileNetV2 trains a top fed by the folded frozen trunk (on the
// WebAssembly backend, as the app does): the prepared run uses the split and computes
// what the whole model computes; a stopped run resumes from its checkpoint, which holds
// the whole model, and evaluation of that model repeats the run's best validation numbers.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateRun } from '../../../electron/engine/evaluate/evaluate-run.js';
import { openDatabase } from '../../../electron/engine/store/database.js';
import { RunsRepo } from '../../../electron/engine/store/runs-repo.js';
import { noAugmentation } from '../../../electron/engine/train/augment/augment-params.js';
import { selectBackend } from '../../../electron/engine/train/backend/select-backend.js';
import { parseTrainConfig } from '../../../electron/engine/train/config.js';
import { PixelSource } from '../../../electron/engine/train/data/pixel-source.js';
import { currentSplitVersion, loadTrainingSet } from '../../../electron/engine/train/data/training-set.js';
import { createRun } from '../../../electron/engine/train/run/create-run.js';
import { PixelFeeder } from '../../../electron/engine/train/run/feeders.js';
import { loadRunModel } from '../../../electron/engine/train/run/load-run-model.js';
import { prepareModel } from '../../../electron/engine/train/run/prepare-model.js';
import type { TrainProgress } from '../../../electron/engine/train/run/progress.js';
import { runTraining } from '../../../electron/engine/train/run/run-training.js';
import { TrunkFeeder } from '../../../electron/engine/train/run/trunk-feeder.js';
import { runCli } from '../../helpers/run-cli.js';
import { writeShapesDataset } from '../../helpers/shapes-dataset.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-fine-tune-split-');

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

describe('fine-tuning through the folded trunk', () => {
  let project: string;
  beforeAll(async () => {
    const images = await writeShapesDataset(path.join(tempDir(), 'img'), { perClass: 12, size: 64, colourByClass: true, shapes: ['circle', 'square'] });
    project = path.join(tempDir(), 'project');
    expect((await runCli(['import', images, '--project', project])).code).toBe(0);
    expect((await runCli(['split', '--project', project, '--seed', '5'])).code).toBe(0);
    await selectBackend('wasm');
  });

  it('prepares the top below block 16 with the model’s trainable weights; it predicts what the whole model predicts, on images augmented afresh', async () => {
    const db = openDatabase(path.join(project, 'holdout.db'));
    const set = loadTrainingSet(db, currentSplitVersion(db));
    db.close();
    const config = parseTrainConfig({ modelKind: 'fine-tune', fineTuneBlocks: 1, hiddenUnits: 256, dropout: 0.3 });
    const prepared = await prepareModel({ projectDir: project, config, set, seed: 1 });
    try {
      const { feeder, model } = prepared;
      expect(feeder).toBeInstanceOf(TrunkFeeder);
      const top = feeder.feeds!;
      expect(top.inputs[0]!.shape).toEqual([null, 7, 7, 160]); // block_15_add's output
      const count = (ws: tf.LayerVariable[]) => ws.reduce((n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
      // Block 16, Conv_1 and a 256-unit head on 2 classes (1,209,546 on 10): what the whole model trains.
      expect(count(top.trainableWeights)).toBe(1_207_490);
      expect(count(model.trainableWeights)).toBe(1_207_490);

      const decode = { size: 224, channels: 3 as const, resize: config.resize };
      const pixels = new PixelFeeder(new PixelSource([], decode), new PixelSource(set.validation, decode), set.classes.length, noAugmentation, false);
      const n = Math.min(3, feeder.validationCount);
      const raw = await pixels.validationBatch(0, n);
      const viaTrunk = await feeder.validationBatch(0, n);
      const whole = model.predict(raw.x) as tf.Tensor;
      const split = top.predict(viaTrunk.x) as tf.Tensor;
      expect(maxAbsDiff(whole, split)).toBeLessThan(1e-4);
      tf.dispose([raw.x, raw.y, viaTrunk.x, viaTrunk.y, whole, split]);

      // Training batches are augmented afresh before the trunk: another seed, other features.
      expect(prepared.augmentation).not.toEqual(noAugmentation);
      const [a, again, other] = [await feeder.trainBatch([0, 1], 11), await feeder.trainBatch([0, 1], 11), await feeder.trainBatch([0, 1], 12)];
      expect(a.x.shape).toEqual([2, 7, 7, 160]);
      expect(maxAbsDiff(a.x, again.x)).toBe(0);
      expect(maxAbsDiff(a.x, other.x)).toBeGreaterThan(1e-3);
      tf.dispose([a, again, other].flatMap((batch) => [batch.x, batch.y]));
    } finally {
      prepared.model.dispose();
      prepared.dispose();
    }
  });

  it('a stopped run resumes from its checkpoint, and evaluating it repeats its best validation numbers', async () => {
    const db = openDatabase(path.join(project, 'holdout.db'));
    try {
      // The app's default batch size, one batch of all 16 training images: the whole
      // model on the tape needed ~2.3 GB of wasm heap for 8 images of 224 px.
      const run = createRun(db, { modelKind: 'fine-tune', fineTuneBlocks: 1, epochs: 2, batchSize: 32, seed: 3, earlyStopping: { enabled: false } });
      let epochs = 0;
      const first = await runTraining({
        projectDir: project,
        runId: run.id,
        emit: (e) => void (e.type === 'epoch' && epochs++),
        shouldStop: () => epochs >= 1,
      });
      expect(first).toMatchObject({ status: 'stopped', epochsRun: 1 });

      const events: TrainProgress[] = [];
      const second = await runTraining({ projectDir: project, runId: run.id, emit: (e) => events.push(e), shouldStop: () => false });
      expect(second, JSON.stringify(second)).toMatchObject({ status: 'completed', epochsRun: 2 });
      expect(events.some((e) => e.type === 'status' && e.message === 'Resumed after epoch 1')).toBe(true);
      expect(events.filter((e) => e.type === 'epoch').map((e) => e.type === 'epoch' && e.epoch)).toEqual([2]);

      // The checkpoint is the whole model: images in, probabilities out.
      const loaded = await loadRunModel(db, project, run.id, 'last');
      expect(loaded.model.inputs[0]!.shape).toEqual([null, 224, 224, 3]);
      const p = loaded.model.predict(tf.zeros([1, 224, 224, 3])) as tf.Tensor;
      expect((await p.sum().data())[0]).toBeCloseTo(1, 5);
      tf.dispose(p);
      loaded.model.dispose();

      // Validation during training ran through the folded trunk; evaluation runs the whole model.
      const recorded = new RunsRepo(db).get(run.id)!;
      const evaluated = await evaluateRun(db, project, run.id, 'validation');
      expect(evaluated.accuracy).toBeCloseTo(recorded.bestValAccuracy!, 6);
      expect(Math.abs(evaluated.loss - recorded.bestValLoss!)).toBeLessThan(1e-4);
    } finally {
      db.close();
    }
  });
});

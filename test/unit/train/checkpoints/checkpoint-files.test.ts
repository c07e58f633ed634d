// Checkpoint folders: a real TF.js model and optimizer state survive the round trip
// bit for bit, and every kind of damage is refused by naming the file at fault.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../../electron/engine/train/backend/use-backend.js';
import { CheckpointError, cleanTempDirs, readCheckpoint, removeCheckpoint, tidyCheckpointFolder, writeCheckpoint } from '../../../../electron/engine/train/checkpoints/checkpoint-files.js';
import type { CheckpointContent, OptimizerState } from '../../../../electron/engine/train/checkpoints/checkpoint-format.js';
import { artifactsOf, modelFromArtifacts } from '../../../../electron/engine/train/checkpoints/to-model.js';
import { tempDirFactory } from '../../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-ckpt-');

beforeAll(async () => {
  await useBackend('cpu');
});

function smallModel(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [6], units: 16, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }));
  model.add(tf.layers.dropout({ rate: 0.3 }));
  model.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
  return model;
}

const inputs = () => tf.tensor2d(Array.from({ length: 8 * 6 }, (_, i) => Math.sin(i * 1.7)), [8, 6]);

async function optimizerState(opt: tf.Optimizer): Promise<OptimizerState> {
  const named = await opt.getWeights();
  const weights = [];
  for (const { name, tensor } of named) {
    weights.push({ name, shape: [...tensor.shape], dtype: tensor.dtype as 'float32' | 'int32', data: Float32Array.from(await tensor.data()) });
  }
  return { kind: opt.getClassName(), config: opt.getConfig(), weights };
}

/** A model trained for a few steps, so its weights and Adam's moments are not their initial values. */
async function trained(): Promise<{ model: tf.Sequential; content: CheckpointContent }> {
  const model = smallModel();
  const opt = tf.train.adam(0.01);
  model.compile({ optimizer: opt, loss: 'categoricalCrossentropy' });
  const x = inputs();
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3);
  await model.fit(x, y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
  tf.dispose([x, y]);
  const content = {
    modelArtifacts: await artifactsOf(model),
    optimizer: await optimizerState(opt),
    state: { epoch: 3, rng: [1, 2, 3, 4], earlyStopping: { best: 0.5, wait: 1 } },
  };
  return { model, content };
}

async function predictions(model: tf.LayersModel): Promise<Float32Array> {
  const x = inputs();
  const y = model.predict(x) as tf.Tensor;
  const data = (await y.data()) as Float32Array;
  tf.dispose([x, y]);
  return data;
}

function errorOf(p: Promise<unknown>): Promise<CheckpointError> {
  return p.then(
    () => {
      throw new Error('expected the checkpoint to be refused');
    },
    (err: unknown) => {
      expect(err).toBeInstanceOf(CheckpointError);
      return err as CheckpointError;
    },
  );
}

describe('checkpoint files', () => {
  it('round-trips a trained model (same weights, same predictions) with its optimizer state', async () => {
    const { model, content } = await trained();
    const dir = path.join(tempDir(), 'checkpoints', '7');
    const written = await writeCheckpoint(dir, 'epoch-0003', content);
    expect(written.path).toBe(path.join(dir, 'epoch-0003'));
    expect(fs.readdirSync(dir)).toEqual(['epoch-0003']);
    expect(fs.readdirSync(written.path).sort()).toEqual(['manifest.json', 'model.json', 'optimizer.bin', 'optimizer.json', 'state.json', 'weights.bin']);
    const onDisk = fs.readdirSync(written.path).reduce((n, f) => n + fs.statSync(path.join(written.path, f)).size, 0);
    expect(written.bytes).toBe(onDisk);
    expect(written.sha256).toMatch(/^[0-9a-f]{64}$/);

    const loaded = await readCheckpoint(written.path);
    expect(loaded.sha256).toBe(written.sha256);
    expect(loaded.state).toEqual(content.state);
    const restored = await modelFromArtifacts(loaded.modelArtifacts);
    const before = model.getWeights();
    const after = restored.getWeights();
    expect(after.map((w) => w.shape)).toEqual(before.map((w) => w.shape));
    for (let i = 0; i < before.length; i++) expect(await after[i]!.data()).toEqual(await before[i]!.data());
    expect(await predictions(restored)).toEqual(await predictions(model));

    expect(loaded.optimizer).not.toBeNull();
    const opt = loaded.optimizer!;
    expect(opt.kind).toBe('Adam');
    expect(opt.config).toEqual(content.optimizer!.config);
    expect(opt.weights.map((w) => [w.name, w.dtype, w.shape])).toEqual(content.optimizer!.weights.map((w) => [w.name, w.dtype, w.shape]));
    expect(opt.weights[0]).toMatchObject({ name: 'iter', dtype: 'int32' });
    expect(opt.weights[0]!.data[0]).toBe(6);
    for (let i = 0; i < opt.weights.length; i++) expect(opt.weights[i]!.data).toEqual(content.optimizer!.weights[i]!.data);
    expect(opt.weights.some((w) => w.data.some((v) => v !== 0))).toBe(true);
    tf.dispose([model, restored] as unknown as tf.Tensor[]);
  });

  it('writes a checkpoint without optimizer state, and replaces one of the same name whole', async () => {
    const { content } = await trained();
    const dir = tempDir();
    await writeCheckpoint(dir, 'epoch-0001', { ...content, optimizer: null, state: { epoch: 1 } });
    const first = await readCheckpoint(path.join(dir, 'epoch-0001'));
    expect(first.optimizer).toBeNull();
    // A resumed run writes epoch 1 again: the old folder is replaced, nothing is left beside it.
    await writeCheckpoint(dir, 'epoch-0001', { ...content, state: { epoch: 1, again: true } });
    expect(fs.readdirSync(dir)).toEqual(['epoch-0001']);
    const second = await readCheckpoint(path.join(dir, 'epoch-0001'));
    expect(second.state).toEqual({ epoch: 1, again: true });
    expect(second.optimizer).not.toBeNull();
  });

  it('refuses a checkpoint with a missing, truncated or altered file, naming the file', async () => {
    const { content } = await trained();
    const dir = tempDir();
    const make = async (name: string) => (await writeCheckpoint(dir, name, content)).path;

    const missing = await make('missing');
    fs.rmSync(path.join(missing, 'optimizer.bin'));
    const e1 = await errorOf(readCheckpoint(missing));
    expect(e1.file).toBe(path.join(missing, 'optimizer.bin'));
    expect(e1.message).toMatch(/optimizer\.bin is missing/);

    const truncated = await make('truncated');
    const weights = path.join(truncated, 'weights.bin');
    fs.truncateSync(weights, fs.statSync(weights).size - 5);
    const e2 = await errorOf(readCheckpoint(truncated));
    expect(e2.file).toBe(weights);
    expect(e2.message).toMatch(/weights\.bin has \d+ bytes, the manifest says \d+/);

    const flipped = await make('flipped');
    const flippedWeights = path.join(flipped, 'weights.bin');
    const bytes = fs.readFileSync(flippedWeights);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    fs.writeFileSync(flippedWeights, bytes);
    const e3 = await errorOf(readCheckpoint(flipped));
    expect(e3.file).toBe(flippedWeights);
    expect(e3.message).toMatch(/sha256/);

    const noManifest = await make('no-manifest');
    fs.rmSync(path.join(noManifest, 'manifest.json'));
    const e4 = await errorOf(readCheckpoint(noManifest));
    expect(e4.file).toBe(path.join(noManifest, 'manifest.json'));
    expect(e4.message).toMatch(/manifest\.json is missing/);

    const escaping = await make('escaping');
    const manifestFile = path.join(escaping, 'manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { files: { name: string }[] };
    manifest.files[0]!.name = '../../etc/passwd';
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    expect((await errorOf(readCheckpoint(escaping))).message).toMatch(/unknown file/);

    const badState = await make('bad-state');
    fs.writeFileSync(path.join(badState, 'state.json'), '{"epoch": 9}');
    expect((await errorOf(readCheckpoint(badState))).file).toBe(path.join(badState, 'state.json'));

    expect((await errorOf(readCheckpoint(path.join(dir, 'never-written')))).message).toMatch(/does not exist/);
  });

  it('treats what a crash before the rename leaves as no checkpoint, and cleans it up', async () => {
    const { content } = await trained();
    const dir = tempDir();
    // Crash mid-write: a temp folder with some files and no manifest.
    const tmp = path.join(dir, '.tmp-epoch-0004-0badf00d');
    fs.mkdirSync(tmp);
    fs.writeFileSync(path.join(tmp, 'model.json'), '{"modelTopology":');
    await errorOf(readCheckpoint(path.join(dir, 'epoch-0004')));
    // Crash between setting the old epoch-0005 aside and renaming the new one in: the old one comes back.
    const kept = await writeCheckpoint(dir, 'epoch-0005', { ...content, state: { epoch: 5 } });
    fs.renameSync(kept.path, path.join(dir, '.old-epoch-0005-12345678'));
    // An aside copy whose replacement did land is garbage.
    await writeCheckpoint(dir, 'epoch-0006', content);
    fs.cpSync(path.join(dir, 'epoch-0006'), path.join(dir, '.old-epoch-0006-abcdef01'), { recursive: true });

    const cleaned = await cleanTempDirs(dir);
    expect(cleaned.removed.sort()).toEqual([path.join(dir, '.old-epoch-0006-abcdef01'), tmp]);
    expect(cleaned.restored).toEqual([path.join(dir, 'epoch-0005')]);
    expect(fs.readdirSync(dir).sort()).toEqual(['epoch-0005', 'epoch-0006']);
    expect((await readCheckpoint(path.join(dir, 'epoch-0005'))).state).toEqual({ epoch: 5 });
    expect(await cleanTempDirs(path.join(dir, 'no-such-run'))).toEqual({ removed: [], restored: [] });

    await removeCheckpoint(path.join(dir, 'epoch-0006'));
    expect(fs.readdirSync(dir)).toEqual(['epoch-0005']);
    await removeCheckpoint(path.join(dir, 'epoch-0006'));
  });

  it('before a resume, also removes whole epoch folders no row names, and keeps the ones rows name', async () => {
    const { content } = await trained();
    const dir = tempDir();
    await writeCheckpoint(dir, 'epoch-0002', { ...content, state: { epoch: 2 } });
    await writeCheckpoint(dir, 'epoch-0003', { ...content, state: { epoch: 3 } });
    // Killed after writing epoch 4's files, before its rows: whole, but nobody points at it.
    await writeCheckpoint(dir, 'epoch-0004', { ...content, state: { epoch: 4 } });
    fs.mkdirSync(path.join(dir, '.tmp-epoch-0005-0badf00d'));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a checkpoint: left alone');
    const tidied = await tidyCheckpointFolder(dir, ['checkpoints/7/epoch-0002', 'checkpoints/7/epoch-0003']);
    expect(tidied.removed.sort()).toEqual([path.join(dir, '.tmp-epoch-0005-0badf00d'), path.join(dir, 'epoch-0004')]);
    expect(fs.readdirSync(dir).sort()).toEqual(['epoch-0002', 'epoch-0003', 'notes.txt']);
    expect((await readCheckpoint(path.join(dir, 'epoch-0003'))).state).toEqual({ epoch: 3 });
    expect(await tidyCheckpointFolder(path.join(dir, 'no-such-run'), [])).toEqual({ removed: [], restored: [] });
  });

  it('refuses names that could escape the folder or hide as temporary', async () => {
    const { content } = await trained();
    const dir = tempDir();
    for (const name of ['../x', '.tmp-a', 'a/b', '', '-x']) await expect(writeCheckpoint(dir, name, content)).rejects.toThrow(/checkpoint name/);
    await expect(writeCheckpoint(dir, 'ok', { ...content, modelArtifacts: { ...content.modelArtifacts, weightData: undefined } })).rejects.toThrow(/no weights/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

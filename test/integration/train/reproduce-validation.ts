// Scores a run's best checkpoint on its validation images, loaded fresh in this process:
// the check that what a run reports is what its saved model does.
import path from 'node:path';
import { openDatabase } from '../../../electron/engine/store/database.js';
import { useBackend } from '../../../electron/engine/train/backend/use-backend.js';
import { registerWasmTrainingKernels } from '../../../electron/engine/train/backend/wasm-kernels/register.js';
import { PixelSource } from '../../../electron/engine/train/data/pixel-source.js';
import { loadTrainingSet } from '../../../electron/engine/train/data/training-set.js';
import { noAugmentation } from '../../../electron/engine/train/augment/augment-params.js';
import { PixelFeeder } from '../../../electron/engine/train/run/feeders.js';
import { loadRunModel } from '../../../electron/engine/train/run/load-run-model.js';
import { evaluateFeeder } from '../../../electron/engine/train/run/train-loop.js';

export async function reproduceValidation(projectDir: string, runId: number): Promise<{ loss: number; accuracy: number }> {
  await useBackend('wasm');
  registerWasmTrainingKernels();
  const db = openDatabase(path.join(projectDir, 'holdout.db'));
  try {
    const { model, state } = await loadRunModel(db, projectDir, runId);
    const run = db.prepare('SELECT split_version_id FROM runs WHERE id = ?').pluck().get(runId) as number;
    const set = loadTrainingSet(db, run);
    const decode = { size: state.input.size, channels: state.input.channels, resize: state.input.resize };
    const train = new PixelSource([], decode);
    const validation = new PixelSource(set.validation, decode);
    const result = await evaluateFeeder(model, new PixelFeeder(train, validation, set.classes.length, noAugmentation, false), 64);
    model.dispose();
    return result;
  } finally {
    db.close();
  }
}

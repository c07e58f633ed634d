// Worker thread of fine-tune-isolated.ts: one fresh WebAssembly instance (its own heap,
// capped at 4 GB) measures (c) at one batch size and posts the result or the error.
import { parentPort, workerData } from 'node:worker_threads';
import { useBackend } from '../../electron/engine/train/backend/use-backend.js';
import { registerWasmTrainingKernels } from '../../electron/engine/train/backend/wasm-kernels/register.js';
import { bundledBackbone } from '../../electron/engine/train/backbones/bundled.js';
import { measureFineTune } from './cpu-training.js';

export interface FineTuneJob {
  backboneId: string;
  reps: number;
  profile: boolean;
  batch: number;
}

const job = workerData as FineTuneJob;
try {
  await useBackend('wasm');
  registerWasmTrainingKernels();
  const result = await measureFineTune(bundledBackbone(job.backboneId), job.reps, job.profile, job.batch);
  parentPort!.postMessage({ ok: true, result });
} catch (err) {
  parentPort!.postMessage({ ok: false, message: `${(err as Error).name}: ${(err as Error).message}` });
}

// Starts a prediction in its own worker (see workers/start-job.ts) and relays its
// progress, so a folder is read and scored without TensorFlow.js in the service's process.
import type { TrainerLauncher } from '../train/train-host.js';
import type { PredictRequest } from '../train/train-protocol.js';
import { startJob, type JobHandle } from '../workers/start-job.js';
import type { PredictOutcome, PredictPhase } from './predict-files.js';

export type PredictionHandle = JobHandle<PredictOutcome>;

export function startPrediction(opts: {
  request: Omit<PredictRequest, 'type'>;
  onProgress(phase: PredictPhase, done: number, total: number): void;
  launcher?: TrainerLauncher;
}): PredictionHandle {
  return startJob<PredictPhase, PredictOutcome>({
    request: { type: 'predict', ...opts.request },
    noun: 'prediction',
    progressOf: (m) => (m.type === 'predict-progress' ? m : null),
    resultOf: (m) => (m.type === 'predicted' ? { value: m.outcome } : undefined),
    onProgress: opts.onProgress,
    ...(opts.launcher ? { launcher: opts.launcher } : {}),
  });
}

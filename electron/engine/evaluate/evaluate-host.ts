// Starts an evaluation in its own worker (see workers/start-job.ts) and relays its progress.
import type { TrainerLauncher } from '../train/train-host.js';
import type { EvaluatePhase, EvaluateRequest } from '../train/train-protocol.js';
import { startJob, type JobHandle } from '../workers/start-job.js';

/** `done` resolves with the saved evaluation's id. */
export type EvaluationHandle = JobHandle<number>;

export function startEvaluation(opts: {
  request: Omit<EvaluateRequest, 'type'>;
  onProgress(phase: EvaluatePhase, done: number, total: number): void;
  launcher?: TrainerLauncher;
}): EvaluationHandle {
  return startJob<EvaluatePhase, number>({
    request: { type: 'evaluate', ...opts.request },
    noun: 'evaluation',
    progressOf: (m) => (m.type === 'evaluate-progress' ? m : null),
    resultOf: (m) => (m.type === 'evaluated' ? { value: m.evaluationId } : undefined),
    onProgress: opts.onProgress,
    ...(opts.launcher ? { launcher: opts.launcher } : {}),
  });
}

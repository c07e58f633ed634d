// Runs one job (evaluate, predict, export) in its own worker — the training worker's
// script, asked by the request's type — and relays its progress. TensorFlow.js then
// never runs in the service's process: the window stays responsive, and a crash while
// scoring leaves it standing. A refusal inside the worker comes back as the same
// ApiError (code, message, field) that the CLI prints.
import { ApiError } from '../../api/errors.js';
import { workerThreadLauncher, type LaunchedWorker, type TrainerLauncher } from '../train/train-host.js';
import type { WorkerMessage, WorkerRequest } from '../train/train-protocol.js';

export interface JobHandle<R> {
  /** Resolves with the job's result; rejects with the worker's ApiError. */
  done: Promise<R>;
  /** Ends the worker at once (the project closes); `done` rejects. */
  kill(): void;
}

export interface JobSpec<P, R> {
  request: Exclude<WorkerRequest, { type: 'start' }>;
  /** For messages: "the evaluation did not finish", "the export was stopped". */
  noun: string;
  /** The job's progress message, read into (phase, done, total); null for any other message. */
  progressOf(m: WorkerMessage): { phase: P; done: number; total: number } | null;
  /** The job's final message, read into its result; undefined for any other message. */
  resultOf(m: WorkerMessage): { value: R } | undefined;
  onProgress(phase: P, done: number, total: number): void;
  launcher?: TrainerLauncher;
}

export function startJob<P, R>(spec: JobSpec<P, R>): JobHandle<R> {
  let settled = false;
  let resolveDone!: (value: R) => void;
  let rejectDone!: (err: ApiError) => void;
  const done = new Promise<R>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  let worker: LaunchedWorker | undefined = undefined;
  const settle = (outcome: { value: R } | { error: ApiError }) => {
    if (settled) return;
    settled = true;
    // The worker's message port would keep it alive; its one job is over either way.
    worker?.kill();
    if ('value' in outcome) resolveDone(outcome.value);
    else rejectDone(outcome.error);
  };
  worker = (spec.launcher ?? workerThreadLauncher)(
    spec.request,
    (m) => {
      const progress = spec.progressOf(m);
      if (progress) {
        if (!settled) spec.onProgress(progress.phase, progress.done, progress.total);
        return;
      }
      const result = spec.resultOf(m);
      if (result) settle(result);
      else if (m.type === 'fatal') settle({ error: new ApiError(m.code ?? 'internal', m.message, m.field) });
    },
    (detail) => settle({ error: new ApiError('internal', `the ${spec.noun} did not finish: ${detail}`) }),
  );
  // A kill before the worker said anything would otherwise leave `done` waiting.
  return {
    done,
    kill: () => settle({ error: new ApiError('conflict', `the ${spec.noun} was stopped: the project was closed`) }),
  };
}

// Starts an evaluation in its own worker (the training worker's script, asked to
// 'evaluate') and relays its progress. TensorFlow.js then never runs in the service's
// process: the window stays responsive, and a crash while scoring leaves it standing.
// A refusal inside the worker (the lockbox's, say) comes back as the same ApiError,
// code, message and field, that the CLI prints.
import { ApiError } from '../../api/errors.js';
import { workerThreadLauncher, type LaunchedWorker, type TrainerLauncher } from '../train/train-host.js';
import type { EvaluatePhase, EvaluateRequest } from '../train/train-protocol.js';

export interface EvaluationHandle {
  /** Resolves with the saved evaluation's id; rejects with the worker's ApiError. */
  done: Promise<number>;
  /** Ends the worker at once (the project closes); `done` rejects. */
  kill(): void;
}

export function startEvaluation(opts: {
  request: Omit<EvaluateRequest, 'type'>;
  onProgress(phase: EvaluatePhase, done: number, total: number): void;
  launcher?: TrainerLauncher;
}): EvaluationHandle {
  let settled = false;
  let resolveDone!: (id: number) => void;
  let rejectDone!: (err: ApiError) => void;
  const done = new Promise<number>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  let worker: LaunchedWorker | undefined = undefined;
  const settle = (outcome: { id: number } | { error: ApiError }) => {
    if (settled) return;
    settled = true;
    // The worker's message port would keep it alive; its one job is over either way.
    worker?.kill();
    if ('id' in outcome) resolveDone(outcome.id);
    else rejectDone(outcome.error);
  };
  worker = (opts.launcher ?? workerThreadLauncher)(
    { type: 'evaluate', ...opts.request },
    (m) => {
      if (m.type === 'evaluate-progress') {
        if (!settled) opts.onProgress(m.phase, m.done, m.total);
      } else if (m.type === 'evaluated') settle({ id: m.evaluationId });
      else if (m.type === 'fatal') settle({ error: new ApiError(m.code ?? 'internal', m.message, m.field) });
    },
    (detail) => settle({ error: new ApiError('internal', `the evaluation did not finish: ${detail}`) }),
  );
  // A kill before the worker said anything would otherwise leave `done` waiting.
  return {
    done,
    kill: () => settle({ error: new ApiError('conflict', 'the evaluation was stopped: the project was closed') }),
  };
}

// Starts a training run in its own worker and relays what it says. The window (or the
// terminal) never runs training code, so it never freezes. The launcher is a worker
// thread by default; the Electron main process passes one that forks a utility process
// with the same messages. A worker that dies without a final word leaves its run
// marked interrupted, ready to resume from its last checkpoint.
import type Database from 'better-sqlite3';
import { RunsRepo } from '../store/runs-repo.js';
import { startWorker } from '../workers/start-worker.js';
import { runSummary, type RunSummary, type TrainProgress } from './run/progress.js';
import type { WorkerMessage, WorkerRequest } from './train-protocol.js';

export interface LaunchedWorker {
  post(message: { type: 'stop' }): void;
  kill(): void;
}

export type TrainerLauncher = (
  request: WorkerRequest,
  onMessage: (message: WorkerMessage) => void,
  onExit: (detail: string) => void,
) => LaunchedWorker;

export const workerThreadLauncher: TrainerLauncher = (request, onMessage, onExit) => {
  const worker = startWorker(import.meta.url, './train-worker', { workerData: request });
  const what = request.type === 'evaluate' ? 'evaluation' : 'training';
  let exited = false;
  worker.on('message', (m: WorkerMessage) => onMessage(m));
  worker.on('error', (err) => {
    if (!exited) onExit(`the ${what} worker failed: ${err.message}`);
    exited = true;
  });
  worker.on('exit', (code) => {
    if (!exited) onExit(`the ${what} worker exited with code ${code}`);
    exited = true;
  });
  return {
    post: (m) => worker.postMessage(m),
    kill: () => void worker.terminate(),
  };
};

export interface TrainingHandle {
  runId: number;
  /** Resolves with the run's outcome, whether it completed, stopped, failed or its worker died. */
  done: Promise<RunSummary>;
  /** Asks the worker to stop after the batch in flight. */
  stop(): void;
  /** Ends the worker at once (app shutdown); the run resumes later from its last checkpoint. */
  kill(): void;
}

export function startTraining(opts: {
  db: Database.Database;
  projectDir: string;
  runId: number;
  onEvent(event: TrainProgress): void;
  launcher?: TrainerLauncher;
}): TrainingHandle {
  const runs = new RunsRepo(opts.db);
  let settled = false;
  let resolveDone!: (s: RunSummary) => void;
  const done = new Promise<RunSummary>((resolve) => (resolveDone = resolve));
  const finish = (s: RunSummary) => {
    if (settled) return;
    settled = true;
    resolveDone(s);
  };
  const died = (detail: string) => {
    if (settled) return;
    worker?.kill();
    // The worker is gone without a final word: its run can resume from the last checkpoint.
    runs.markInterrupted(opts.runId, detail);
    const summary: RunSummary = {
      ...runSummary(runs.get(opts.runId)!, { backend: 'unknown', seconds: 0 }),
      stoppedEarly: false,
      stopReason: null,
      error: detail,
    };
    opts.onEvent({ type: 'end', runId: opts.runId, backend: summary.backend, summary });
    finish(summary);
  };
  let worker: LaunchedWorker | undefined = undefined;
  worker = (opts.launcher ?? workerThreadLauncher)(
    { type: 'start', projectDir: opts.projectDir, runId: opts.runId },
    (m) => {
      if (m.type === 'progress') opts.onEvent(m.event);
      else if (m.type === 'done') {
        finish(m.summary);
        // The worker's message port would keep it (and the process) alive; its work is done.
        worker?.kill();
      }
      else if (m.type === 'fatal') died(m.message);
    },
    died,
  );
  return {
    runId: opts.runId,
    done,
    stop: () => {
      runs.markStopping(opts.runId);
      worker?.post({ type: 'stop' });
    },
    kill: () => worker?.kill(),
  };
}

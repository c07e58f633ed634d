// The training process's entry point. Under plain Node it is a worker thread; in the
// Electron app it runs as a utility process (Electron gives it process.parentPort, no
// import of 'electron' needed). Either way it receives one request: 'start' trains a run
// (posting progress events, stopping cooperatively when asked); 'evaluate' scores a run's
// best checkpoint and saves the evaluation, so TensorFlow.js never runs in the window's
// or the main process.
import path from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { ApiError } from '../../api/errors.js';
import { evaluateAndSave } from '../evaluate/evaluate-and-save.js';
import { runExportJob } from '../export/export-job.js';
import { runPredictJob } from '../predict/predict-job.js';
import { openDatabase } from '../store/database.js';
import { runEnsemble } from './run/run-ensemble.js';
import { runTraining } from './run/run-training.js';
import { RunsRepo } from '../store/runs-repo.js';
import { backgroundHelperNames, lowerThisThread, NamedThreadLowerer } from '../util/background-priority.js';
import type { TrainProgress } from './run/progress.js';
import type { EvaluateRequest, WorkerRequest, WorkerMessage } from './train-protocol.js';

interface Port {
  postMessage(message: WorkerMessage): void;
  on(event: 'message', listener: (message: unknown) => void): void;
}

function port(): Port {
  if (!isMainThread && parentPort) {
    return { postMessage: (m) => parentPort!.postMessage(m), on: (e, l) => parentPort!.on(e, l) };
  }
  // Electron utility process: messages arrive as { data }.
  const up = (process as unknown as { parentPort?: { postMessage(m: unknown): void; on(e: string, l: (ev: { data: unknown }) => void): void } }).parentPort;
  if (!up) throw new Error('train-worker must run as a worker thread or an Electron utility process');
  return { postMessage: (m) => up.postMessage(m), on: (e, l) => up.on(e, (ev) => l(ev.data)) };
}

// Training, evaluation, prediction and export are background work: the window gets a
// core first, and the threads this one starts (feature extraction, gradient workers)
// inherit the lower priority (util/background-priority.ts).
lowerThisThread();
// Images are decoded by sharp, on libuv's pool and libvips's helpers: the process's
// threads, not this one's. Lower them as they appear (a listing every 2 s, once per thread).
const helperThreads = new NamedThreadLowerer(backgroundHelperNames());
helperThreads.lowerNew();
setInterval(() => helperThreads.lowerNew(), 2000).unref();
const channel = port();
let stopRequested = false;
let started = false;

function fatal(err: unknown): WorkerMessage {
  if (err instanceof ApiError) {
    return { type: 'fatal', message: err.message, code: err.code, ...(err.field === undefined ? {} : { field: err.field }) };
  }
  return { type: 'fatal', message: err instanceof Error ? err.message : String(err) };
}

async function evaluate(request: EvaluateRequest): Promise<number> {
  channel.postMessage({ type: 'evaluate-progress', phase: 'loading', done: 0, total: 0 });
  // The worker's own connection, as runTraining opens one: a database handle cannot cross threads.
  const db = openDatabase(path.join(request.projectDir, 'holdout.db'));
  try {
    const { evaluationId } = await evaluateAndSave(db, request.projectDir, request.runId, request.split, {
      ...(request.confirm === undefined ? {} : { confirm: request.confirm }),
      ...(request.confirmReuse === undefined ? {} : { confirmReuse: request.confirmReuse }),
      onProgress: (phase, done, total) => channel.postMessage({ type: 'evaluate-progress', phase, done, total }),
    });
    return evaluationId;
  } finally {
    db.close();
  }
}

/** Whether the run is an ensemble; a missing run or project is left to runTraining to refuse. */
function isEnsemble(projectDir: string, runId: number): boolean {
  try {
    const db = openDatabase(path.join(projectDir, 'holdout.db'));
    try {
      return new RunsRepo(db).get(runId)?.kind === 'ensemble';
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}

function start(request: WorkerRequest): void {
  if (started) return;
  started = true;
  if (request.type === 'predict') {
    runPredictJob(request, (m) => channel.postMessage(m))
      .then((outcome) => channel.postMessage({ type: 'predicted', outcome }))
      .catch((err: unknown) => channel.postMessage(fatal(err)));
    return;
  }
  if (request.type === 'export') {
    runExportJob(request, (m) => channel.postMessage(m))
      .then((result) => channel.postMessage({ type: 'exported', result }))
      .catch((err: unknown) => channel.postMessage(fatal(err)));
    return;
  }
  if (request.type === 'evaluate') {
    evaluate(request)
      .then((evaluationId) => channel.postMessage({ type: 'evaluated', evaluationId }))
      .catch((err: unknown) => channel.postMessage(fatal(err)));
    return;
  }
  // An ensemble trains its members one after another in this worker (run-ensemble.ts).
  const train = isEnsemble(request.projectDir, request.runId) ? runEnsemble : runTraining;
  train({
    projectDir: request.projectDir,
    runId: request.runId,
    emit: (event: TrainProgress) => channel.postMessage({ type: 'progress', event }),
    shouldStop: () => stopRequested,
  })
    .then((summary) => channel.postMessage({ type: 'done', summary }))
    .catch((err: unknown) => channel.postMessage(fatal(err)));
}

channel.on('message', (message) => {
  const type = (message as { type?: unknown } | null)?.type;
  if (type === 'stop') stopRequested = true;
  else if (type === 'start' || type === 'evaluate' || type === 'predict' || type === 'export') start(message as WorkerRequest);
});
const initial = (workerData as { type?: unknown } | null | undefined)?.type;
if (initial === 'start' || initial === 'evaluate' || initial === 'predict' || initial === 'export') start(workerData as WorkerRequest);

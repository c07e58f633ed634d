// The training process's entry point. Under plain Node it is a worker thread; in the
// Electron app it runs as a utility process (Electron gives it process.parentPort, no
// import of 'electron' needed). Either way it receives one start message, posts
// progress events, and stops cooperatively when asked.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { runTraining } from './run/run-training.js';
import type { TrainProgress } from './run/progress.js';
import type { WorkerRequest, WorkerMessage } from './train-protocol.js';

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

const channel = port();
let stopRequested = false;
let started = false;

function start(request: WorkerRequest): void {
  if (started) return;
  started = true;
  runTraining({
    projectDir: request.projectDir,
    runId: request.runId,
    emit: (event: TrainProgress) => channel.postMessage({ type: 'progress', event }),
    shouldStop: () => stopRequested,
  })
    .then((summary) => channel.postMessage({ type: 'done', summary }))
    .catch((err: unknown) => channel.postMessage({ type: 'fatal', message: err instanceof Error ? err.message : String(err) }));
}

channel.on('message', (message) => {
  const type = (message as { type?: unknown } | null)?.type;
  if (type === 'stop') stopRequested = true;
  else if (type === 'start') start(message as WorkerRequest);
});
if (workerData && typeof workerData === 'object' && (workerData as { type?: string }).type === 'start') start(workerData as WorkerRequest);

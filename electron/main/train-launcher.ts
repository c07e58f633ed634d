// Training and evaluation in the desktop app run in an Electron utility process: a Node
// process of its own (a crash or an out-of-memory there leaves the window and the main
// process standing), speaking the same messages as the worker thread used under plain
// Node (engine/train/train-protocol.ts). The worker script finds process.parentPort itself.
import path from 'node:path';
import { utilityProcess } from 'electron';
import type { TrainerLauncher } from '../engine/train/train-host.js';
import { lowerProcess } from '../engine/util/background-priority.js';
import type { WorkerMessage } from '../engine/train/train-protocol.js';

/** The parts of Electron's UtilityProcess used here. */
export interface UtilityChild {
  /** The operating system's process id, once spawned. */
  readonly pid?: number | undefined;
  postMessage(message: unknown): void;
  on(event: 'spawn', listener: () => void): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export type ForkUtility = (modulePath: string, args: string[], options: { serviceName: string; stdio: 'inherit' }) => UtilityChild;

/** dist/electron/engine/train/train-worker.js, beside the compiled main.js (dist/electron/main/). */
export function trainWorkerPath(mainDir: string): string {
  return path.resolve(mainDir, '..', 'engine', 'train', 'train-worker.js');
}

function isWorkerMessage(m: unknown): m is WorkerMessage {
  const type = (m as { type?: unknown } | null)?.type;
  return (
    type === 'progress' || type === 'done' || type === 'evaluate-progress' || type === 'evaluated' || type === 'fatal' ||
    // predict (electron/engine/predict)
    type === 'predict-progress' || type === 'predicted' ||
    // export (electron/engine/export)
    type === 'export-progress' || type === 'exported'
  );
}

export function createUtilityProcessLauncher(options: {
  workerPath: string;
  /** Electron's utilityProcess.fork; replaced in tests (it exists only after `ready`). */
  fork?: ForkUtility;
}): TrainerLauncher {
  const fork: ForkUtility = options.fork ?? ((modulePath, args, forkOptions) => utilityProcess.fork(modulePath, args, forkOptions));
  return (request, onMessage, onExit) => {
    const what = request.type === 'evaluate' ? 'evaluation' : 'training';
    // The name the operating system's task manager shows for the process.
    const child = fork(options.workerPath, [], { serviceName: `Holdout ${what}`, stdio: 'inherit' });
    let exited = false;
    // Background work: the whole process below the window's priority, on every platform
    // (on Linux the worker also lowers its own threads: engine/util/background-priority.ts).
    child.on('spawn', () => {
      if (child.pid !== undefined) lowerProcess(child.pid);
    });
    child.on('message', (m) => {
      if (isWorkerMessage(m)) onMessage(m);
    });
    child.on('exit', (code) => {
      if (exited) return;
      exited = true;
      onExit(`the ${what} process exited with code ${code}`);
    });
    // Messages posted before the child has spawned are queued by Electron.
    child.postMessage(request);
    return {
      post: (m) => {
        if (!exited) child.postMessage(m);
      },
      kill: () => {
        if (!exited) child.kill();
      },
    };
  };
}

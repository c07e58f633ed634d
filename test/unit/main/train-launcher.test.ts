// The desktop app's training launcher. Electron cannot run here, so (1) against the
// recording fake 'electron' module, with a recording utilityProcess added: what it
// forks, what it posts, what it relays and how an exit is reported; and (2) end to end
// with a Node child process standing in for the utility process (same parentPort
// messages), running the real training worker on a real project through the API.
import { fork as forkNode, spawn } from 'node:child_process';
import fs from 'node:fs';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { WorkerMessage } from '../../../electron/engine/train/train-protocol.js';
import { BACKGROUND_NICE } from '../../../electron/engine/util/background-priority.js';
import { createUtilityProcessLauncher, trainWorkerPath, type ForkUtility, type UtilityChild } from '../../../electron/main/train-launcher.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { trainFixture } from '../service/train-fixture.js';

class RecordingChild extends EventEmitter {
  pid: number | undefined;
  posted: unknown[] = [];
  kills = 0;
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  kill(): boolean {
    this.kills++;
    return true;
  }
}

const forks: { modulePath: string; args: string[]; options: unknown; child: RecordingChild }[] = [];

vi.mock('electron', async () => ({
  ...(await import('./helpers/fake-electron.js')),
  utilityProcess: {
    fork: (modulePath: string, args: string[], options: unknown) => {
      const child = new RecordingChild();
      forks.push({ modulePath, args, options, child });
      return child;
    },
  },
}));

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const tempDir = tempDirFactory('holdout-train-launcher-');
const request = { type: 'start', projectDir: '/p', runId: 7 } as const;

describe('utility-process training launcher', () => {
  it('finds the built worker beside the compiled main process', () => {
    expect(path.relative(root, trainWorkerPath(path.join(root, 'dist', 'electron', 'main')))).toBe(
      path.join('dist', 'electron', 'engine', 'train', 'train-worker.js'),
    );
  });

  it("forks the worker with Electron's utilityProcess, posts the start request, relays its messages", () => {
    const launch = createUtilityProcessLauncher({ workerPath: '/app/dist/electron/engine/train/train-worker.js' });
    const messages: WorkerMessage[] = [];
    const exits: string[] = [];
    const worker = launch(request, (m) => messages.push(m), (d) => exits.push(d));
    expect(forks).toHaveLength(1);
    const { modulePath, options, child } = forks[0]!;
    expect(modulePath).toBe('/app/dist/electron/engine/train/train-worker.js');
    expect(options).toMatchObject({ serviceName: 'Holdout training' });
    expect(child.posted).toEqual([request]);

    const progress: WorkerMessage = { type: 'progress', event: { type: 'status', runId: 7, backend: 'CPU (WebAssembly, 1 thread)', status: 'running', message: 'hi' } };
    child.emit('message', progress);
    child.emit('message', { type: 'gossip' });
    child.emit('message', null);
    child.emit('message', { type: 'fatal', message: 'out of memory' });
    expect(messages).toEqual([progress, { type: 'fatal', message: 'out of memory' }]);

    worker.post({ type: 'stop' });
    expect(child.posted).toEqual([request, { type: 'stop' }]);
    child.emit('exit', 9);
    child.emit('exit', 9);
    expect(exits).toEqual(['the training process exited with code 9']);
    // After the exit, nothing goes to a process that is gone.
    worker.post({ type: 'stop' });
    worker.kill();
    expect(child.posted).toHaveLength(2);
    expect(child.kills).toBe(0);
  });

  it('runs an evaluation the same way, named as one, relaying its progress and its saved id', () => {
    const launch = createUtilityProcessLauncher({ workerPath: '/w.js' });
    const messages: WorkerMessage[] = [];
    const exits: string[] = [];
    const evaluate = { type: 'evaluate', projectDir: '/p', runId: 7, split: 'test', confirm: true } as const;
    launch(evaluate, (m) => messages.push(m), (d) => exits.push(d));
    const { options, child } = forks[forks.length - 1]!;
    expect(options).toMatchObject({ serviceName: 'Holdout evaluation' });
    expect(child.posted).toEqual([evaluate]);
    const relayed: WorkerMessage[] = [
      { type: 'evaluate-progress', phase: 'predicting', done: 3, total: 9 },
      { type: 'evaluated', evaluationId: 4 },
      { type: 'fatal', message: 'no', code: 'forbidden', field: 'confirmReuse' },
    ];
    for (const m of relayed) child.emit('message', m);
    child.emit('message', { type: 'evaluation-gossip' });
    expect(messages).toEqual(relayed);
    child.emit('exit', 1);
    expect(exits).toEqual(['the evaluation process exited with code 1']);
  });

  it.runIf(process.platform === 'linux')('puts the spawned process below the window\'s priority', async () => {
    // A real process stands in for the spawned utility process: its real nice value is read back.
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => sleeper.once('spawn', resolve));
      const niceOf = () => {
        const stat = fs.readFileSync(`/proc/${sleeper.pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      };
      const launch = createUtilityProcessLauncher({ workerPath: '/w.js' });
      launch(request, () => {}, () => {});
      const { child } = forks[forks.length - 1]!;
      expect(niceOf()).toBe(0);
      child.pid = sleeper.pid;
      child.emit('spawn');
      expect(niceOf()).toBe(BACKGROUND_NICE);
    } finally {
      sleeper.kill();
    }
  });

  it('kills the process when asked, once', () => {
    const launch = createUtilityProcessLauncher({ workerPath: '/w.js' });
    const worker = launch(request, () => {}, () => {});
    const { child } = forks[forks.length - 1]!;
    worker.kill();
    expect(child.kills).toBe(1);
  });

  it('trains a real run through the API with the worker in a utility-process stand-in', async () => {
    const fork: ForkUtility = (modulePath, args) => {
      const cp = forkNode(modulePath, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const child: UtilityChild = {
        pid: cp.pid,
        postMessage: (m) => void cp.send(m as object),
        on: (event: 'spawn' | 'message' | 'exit', listener: (() => void) | ((m: unknown) => void) | ((code: number) => void)) =>
          event === 'spawn'
            ? cp.on('spawn', listener as () => void)
            : event === 'message'
              ? cp.on('message', listener as (m: unknown) => void)
              : cp.on('exit', (code) => (listener as (c: number) => void)(code ?? 1)),
        kill: () => cp.kill(),
      };
      return child;
    };
    const launcher = createUtilityProcessLauncher({ workerPath: path.join(import.meta.dirname, 'utility-process-child.ts'), fork });
    const f = await trainFixture(tempDir(), { perClass: 12, trainerLauncher: launcher });
    try {
      const ended = f.next('train.progress', (e) => e.type === 'end', 90_000);
      await f.call('train.start', { config: { modelKind: 'small-cnn', epochs: 2, batchSize: 16, seed: 1, backend: 'wasm' } });
      const end = await ended;
      expect(end.summary).toMatchObject({ status: 'completed', epochsRun: 2, backend: expect.stringMatching(/^CPU \(WebAssembly/) });
      const epochs = f.events.filter((e) => e.event === 'train.progress' && e.payload.type === 'epoch');
      expect(epochs.map((e) => e.payload.epoch)).toEqual([1, 2]);
      const { runs } = await f.call('runs.list');
      expect(runs[0].status).toBe('completed');
    } finally {
      await f.service.dispose();
    }
  });
});

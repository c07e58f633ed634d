// A worker thread for background-priority.test.ts: does what workerData asks, then says
// its own nice value (and, when asked, that of a thread it started afterwards).
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import sharp from 'sharp';
import { backgroundHelperNames, lowerThisThread, NamedThreadLowerer } from '../../../electron/engine/util/background-priority.js';
import { startWorker } from '../../../electron/engine/workers/start-worker.js';

interface Ask {
  mode: 'lower-self' | 'child-inherits' | 'libvips' | 'helpers' | 'report';
}

/** The calling thread's nice value, from /proc/thread-self/stat (field 19). */
function ownNice(): number {
  const stat = fs.readFileSync('/proc/thread-self/stat', 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

function niceOf(tid: string): number {
  const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

const ask = workerData as Ask;
const port = parentPort!;

if (ask.mode === 'report') {
  port.postMessage({ nice: ownNice() });
} else if (ask.mode === 'lower-self') {
  const lowered = lowerThisThread();
  port.postMessage({ lowered, nice: ownNice() });
} else if (ask.mode === 'child-inherits') {
  lowerThisThread();
  // A thread started AFTER lowering: it must start lowered (the training worker's extraction and gradient workers).
  const child = startWorker(import.meta.url, './priority-probe-worker', { workerData: { mode: 'report' } });
  child.once('message', (m: { nice: number }) => {
    port.postMessage({ nice: ownNice(), childNice: m.nice });
    void child.terminate();
  });
} else {
  // libvips starts its threads for sharp's work; they are found by name and lowered
  // ('helpers': with libuv's pool, as an import's workers do).
  const names = ask.mode === 'helpers' ? backgroundHelperNames() : ['libvips worker'];
  const lowerer = new NamedThreadLowerer(names);
  void sharp({ create: { width: 512, height: 512, channels: 3, background: '#808080' } })
    .blur(3)
    .png()
    .toBuffer()
    .then(() => {
      const lowered = lowerer.lowerNew();
      const again = lowerer.lowerNew();
      const threads = fs.readdirSync('/proc/self/task').map((tid) => ({
        tid,
        name: fs.readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim(),
        nice: niceOf(tid),
      }));
      port.postMessage({ lowered, again, threads, pid: process.pid, nice: ownNice(), names });
    });
}

// Worker thread entry: processes the files the pool sends, a few at a time (the pool
// decides how many are in flight), and answers each with its outcome.
import { parentPort, workerData } from 'node:worker_threads';
import { backgroundHelperNames, lowerThisThread, NamedThreadLowerer } from '../util/background-priority.js';
import { configureSharpForImport } from './sharp-settings.js';
import { processFile, type FileJob, type FileOutcome } from './process-file.js';
import { ThumbnailWriter } from './thumbnail-file.js';

export interface ImageWorkerData {
  thumbsDir: string;
  maxPixels: number;
}
export interface JobMessage {
  id: number;
  job: FileJob;
}
export interface OutcomeMessage {
  id: number;
  outcome: FileOutcome;
}

const data = workerData as ImageWorkerData;
const thumbs = new ThumbnailWriter(data.thumbsDir);
configureSharpForImport();
// Decoding is background work: the window gets a core first (util/background-priority.ts).
lowerThisThread();
/** sharp works on libuv's pool and libvips's helpers, started as work arrives: lower them as they appear. */
const helperThreads = new NamedThreadLowerer(backgroundHelperNames());

const port = parentPort!;
// Outcomes finished in the same turn of the event loop travel in one message: every
// message wakes the main thread, and on small files those wake-ups add up.
let outbox: OutcomeMessage[] = [];
function send(message: OutcomeMessage): void {
  if (outbox.length === 0) setImmediate(flush);
  outbox.push(message);
}
function flush(): void {
  helperThreads.lowerNew();
  const batch = outbox;
  outbox = [];
  port.postMessage(batch);
}

port.on('message', (batch: JobMessage[]) => {
  for (const msg of batch) {
    processFile(msg.job, thumbs, data.maxPixels)
      .catch((err: unknown): FileOutcome => ({ kind: 'error', reason: `internal error: ${(err as Error)?.message ?? String(err)}` }))
      .then((outcome) => send({ id: msg.id, outcome }));
  }
});

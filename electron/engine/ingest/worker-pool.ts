// A pool of image workers (worker_threads), each keeping a few files in flight so its
// thread alternates between JS work (hashing, pHash) and waiting on libvips and the
// disk. The pool hands each job to the least busy worker.
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../workers/start-worker.js';
import type { ImageWorkerData, JobMessage, OutcomeMessage } from './image-worker.js';
import type { FileJob, FileOutcome } from './process-file.js';

export class PoolClosedError extends Error {
  constructor() {
    super('the import was stopped');
    this.name = 'PoolClosedError';
  }
}

interface Pending {
  resolve: (outcome: FileOutcome) => void;
  reject: (err: Error) => void;
  slot: Slot;
}

interface Slot {
  worker: Worker;
  inFlight: number;
  /** Jobs handed out in this turn of the event loop, posted together (one wake-up). */
  outbox: JobMessage[];
}

/** A worker that dies is replaced this many times before the pool gives up. */
const MAX_RESTARTS = 3;

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private restarts = 0;
  private closed = false;
  private closing: Promise<void> | null = null;
  private broken: Error | null = null;

  constructor(
    size: number,
    private readonly data: ImageWorkerData,
  ) {
    for (let i = 0; i < Math.max(1, size); i++) this.slots.push(this.spawn());
  }

  get size(): number {
    return this.slots.length;
  }

  run(job: FileJob): Promise<FileOutcome> {
    if (this.closed) return Promise.reject(new PoolClosedError());
    if (this.broken) return Promise.reject(this.broken);
    let slot = this.slots[0]!;
    for (const s of this.slots) if (s.inFlight < slot.inFlight) slot = s;
    const id = this.nextId++;
    slot.inFlight++;
    return new Promise<FileOutcome>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, slot });
      if (slot.outbox.length === 0) queueMicrotask(() => this.post(slot));
      slot.outbox.push({ id, job });
    });
  }

  private post(slot: Slot): void {
    if (this.closed || slot.outbox.length === 0) return;
    const batch = slot.outbox;
    slot.outbox = [];
    slot.worker.postMessage(batch);
  }

  /**
   * Stops every worker now; jobs still in flight reject with PoolClosedError. Every
   * caller gets the same promise, which settles once all worker threads have exited.
   */
  close(): Promise<void> {
    if (!this.closing) {
      this.closed = true;
      for (const p of this.pending.values()) p.reject(new PoolClosedError());
      this.pending.clear();
      this.closing = Promise.all(this.slots.map((s) => s.worker.terminate())).then(() => undefined);
    }
    return this.closing;
  }

  private spawn(): Slot {
    const worker = startWorker(import.meta.url, './image-worker', { workerData: this.data });
    const slot: Slot = { worker, inFlight: 0, outbox: [] };
    worker.on('message', (batch: OutcomeMessage[]) => {
      for (const msg of batch) {
        const p = this.pending.get(msg.id);
        if (!p) continue;
        this.pending.delete(msg.id);
        p.slot.inFlight--;
        p.resolve(msg.outcome);
      }
    });
    worker.on('error', (err) => this.lost(slot, err));
    worker.on('exit', (code) => this.lost(slot, new Error(`the image worker exited (code ${code})`)));
    return slot;
  }

  /** A worker died (a bug, or out of memory): its files are listed as failed and it is replaced. */
  private lost(slot: Slot, err: Error): void {
    if (this.closed) return;
    const index = this.slots.indexOf(slot);
    if (index < 0) return; // 'error' and 'exit' both arrive for one death.
    for (const [id, p] of this.pending) {
      if (p.slot !== slot) continue;
      this.pending.delete(id);
      p.resolve({ kind: 'error', reason: `internal error: the image worker stopped while reading this file (${err.message})` });
    }
    if (this.restarts++ < MAX_RESTARTS) {
      this.slots[index] = this.spawn();
      return;
    }
    this.slots.splice(index, 1);
    if (this.slots.length === 0) this.broken = new Error(`image workers keep stopping: ${err.message}`);
  }
}

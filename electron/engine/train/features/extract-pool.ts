// Data-parallel feature extraction: WebAssembly runs on one thread per instance in Node,
// so a frozen backbone uses one core however many the machine has. The pool starts one
// worker thread per spare core, each with its own wasm instance and its own copy of the
// backbone, and hands each batch to an idle worker. The calling thread keeps decoding
// (sharp has its own threads) and caching, so decoding overlaps with the network.
//
// Workers hold the event loop only while they have work: a pool nobody closed never
// keeps the process alive, and close() stops every thread at once.
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { ApiError, type ApiErrorCode } from '../../../api/errors.js';
import type { BackboneEntry } from '../backbones/descriptor.js';
import { ImageDecodeError } from '../data/decode-image.js';
import { startWorker } from '../../workers/start-worker.js';
import { checkPixels } from './extract-batch.js';
import type { ExtractImage, ExtractWorkerData, FromWorker, SerializedError, ToWorker } from './extract-protocol.js';

export type { ExtractAugment, ExtractImage } from './extract-protocol.js';

/** More threads than this only multiply the backbone's memory (one copy per wasm heap). */
export const MAX_EXTRACT_WORKERS = 8;

export interface ExtractPoolOptions {
  backbone: BackboneEntry;
  /** Another layer than backbone.json's featureLayer. */
  featureLayer?: string;
  /** Worker threads; default: every core but one (the caller's), at least 1, at most 8. */
  workers?: number;
  /** Fold batch norms of a layers backbone into its convolutions (default true). */
  fold?: boolean;
  backend?: 'wasm' | 'cpu';
  /** How images given by file are squared when a worker decodes them (default 'fill'). */
  resize?: 'fill' | 'cover';
}

/** An error a worker met, naming the image it is about when there is one. */
export class FeatureExtractError extends Error {
  constructor(
    message: string,
    readonly file: string | null,
  ) {
    super(message);
    this.name = 'FeatureExtractError';
  }
}

export class ExtractPoolClosedError extends Error {
  constructor() {
    super('feature extraction was stopped');
    this.name = 'ExtractPoolClosedError';
  }
}

export function defaultExtractWorkers(): number {
  // One per core: while features are extracted the training thread only waits for them.
  return Math.min(MAX_EXTRACT_WORKERS, Math.max(1, os.availableParallelism()));
}

interface Job {
  id: number;
  images: ExtractImage[];
  transfer: ArrayBuffer[];
  resolve(features: Float32Array): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

function revive(e: SerializedError): Error {
  if (e.name === 'ApiError' && e.code) return new ApiError(e.code as ApiErrorCode, e.message, e.field);
  if (e.name === 'ImageDecodeError' && e.file !== undefined) {
    const prefix = `cannot read image ${e.file}: `;
    return new ImageDecodeError(e.file, e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message);
  }
  return new FeatureExtractError(e.message, e.file ?? null);
}

/** The pixels' own buffer when the view covers all of it (then it is moved, not copied), else a copy. */
function movable(pixels: Uint8Array): Uint8Array {
  const whole = pixels.byteOffset === 0 && pixels.byteLength === pixels.buffer.byteLength && pixels.buffer instanceof ArrayBuffer;
  return whole ? pixels : pixels.slice();
}

export class FeatureExtractPool {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private readonly memoryWaiters = new Map<number, { resolve(m: { numTensors: number; numBytes: number }): void; reject(err: Error): void }>();
  private nextId = 1;
  private closing: Promise<void> | null = null;
  private broken: Error | null = null;

  private constructor(
    workers: Worker[],
    readonly featureDim: number,
    readonly inputSize: number,
    readonly channels: 1 | 3,
    /** Batch norms folded per worker's model (0 for a graph backbone). */
    readonly foldedBatchNorms: number,
  ) {
    this.slots = workers.map((worker) => ({ worker, job: null }));
    for (const slot of this.slots) {
      slot.worker.on('message', (msg: FromWorker) => this.onMessage(slot, msg));
      slot.worker.on('error', (err) => this.lost(slot, err));
      slot.worker.on('exit', (code) => this.lost(slot, new Error(`exited with code ${code}`)));
      slot.worker.unref();
    }
  }

  /** Starts the workers and waits until each has loaded the backbone; a load error rejects (all stopped). */
  static async start(options: ExtractPoolOptions): Promise<FeatureExtractPool> {
    const count = options.workers ?? defaultExtractWorkers();
    if (!Number.isInteger(count) || count < 1 || count > MAX_EXTRACT_WORKERS) {
      throw new ApiError('invalid_request', `workers must be a whole number from 1 to ${MAX_EXTRACT_WORKERS}, got ${count}`, 'workers');
    }
    const { dir, descriptor } = options.backbone;
    const data: ExtractWorkerData = {
      dir,
      descriptor,
      featureLayer: options.featureLayer ?? descriptor.featureLayer,
      fold: options.fold ?? true,
      backend: options.backend ?? 'wasm',
      resize: options.resize ?? 'fill',
    };
    const workers = Array.from({ length: count }, () => startWorker(import.meta.url, './extract-worker', { workerData: data }));
    const ready = workers.map(
      (w) =>
        new Promise<{ featureDim: number; folded: number }>((resolve, reject) => {
          const onMessage = (msg: FromWorker) => {
            if (msg.type === 'ready') done(null, msg);
            else if (msg.type === 'failed') done(revive(msg.error));
          };
          const onError = (err: Error) => done(err);
          const onExit = (code: number) => done(new Error(`the feature worker exited (code ${code}) while loading ${dir}`));
          // Only our own listeners go: Node's Worker keeps internal ones of its own.
          const done = (err: Error | null, msg?: { featureDim: number; folded: number }) => {
            w.off('message', onMessage).off('error', onError).off('exit', onExit);
            if (err) reject(err);
            else resolve(msg!);
          };
          w.on('message', onMessage).on('error', onError).on('exit', onExit);
        }),
    );
    const settled = await Promise.allSettled(ready);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw failed.reason;
    }
    const first = (settled[0] as PromiseFulfilledResult<{ featureDim: number; folded: number }>).value;
    return new FeatureExtractPool(workers, first.featureDim, descriptor.inputSize, descriptor.channels, first.folded);
  }

  get size(): number {
    return this.slots.length;
  }

  /**
   * Features of a batch, [images.length × featureDim] row by row. Pixel buffers are
   * moved to the worker (the caller's arrays become empty); give a batch of 8–32
   * images, and several batches at once to keep every worker busy.
   */
  extract(images: readonly ExtractImage[]): Promise<Float32Array> {
    if (this.closing) return Promise.reject(this.broken ?? new ExtractPoolClosedError());
    if (images.length === 0) return Promise.resolve(new Float32Array(0));
    const transfer: ArrayBuffer[] = [];
    let sent: ExtractImage[];
    try {
      sent = images.map((image) => {
        if (!image.pixels) return image;
        checkPixels(image, this.inputSize, this.channels);
        const pixels = movable(image.pixels);
        transfer.push(pixels.buffer as ArrayBuffer);
        return { ...image, pixels };
      });
    } catch (err) {
      return Promise.reject(new FeatureExtractError((err as Error).message, null));
    }
    return new Promise<Float32Array>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, images: sent, transfer, resolve, reject });
      this.dispatch();
    });
  }

  /** Tensors alive in each worker's TensorFlow.js engine (a leak shows as growth between calls). */
  async memory(): Promise<{ numTensors: number; numBytes: number }[]> {
    if (this.closing) throw this.broken ?? new ExtractPoolClosedError();
    return Promise.all(
      this.slots.map((slot) => {
        const id = this.nextId++;
        return new Promise<{ numTensors: number; numBytes: number }>((resolve, reject) => {
          this.memoryWaiters.set(id, { resolve, reject });
          this.post(slot, { type: 'memory', id });
        });
      }),
    );
  }

  /** Stops every worker; batches not finished reject with ExtractPoolClosedError. Idempotent. */
  close(): Promise<void> {
    return this.stop(new ExtractPoolClosedError());
  }

  private stop(reason: Error): Promise<void> {
    if (!this.closing) {
      const closed = reason;
      for (const job of this.queue.splice(0)) job.reject(closed);
      for (const waiter of this.memoryWaiters.values()) waiter.reject(closed);
      this.memoryWaiters.clear();
      for (const slot of this.slots) {
        slot.job?.reject(closed);
        slot.job = null;
      }
      this.closing = Promise.all(this.slots.map((s) => s.worker.terminate())).then(() => undefined);
    }
    return this.closing;
  }

  private post(slot: Slot, msg: ToWorker, transfer: ArrayBuffer[] = []): void {
    slot.worker.ref();
    slot.worker.postMessage(msg, transfer);
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.job) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      this.post(slot, { type: 'job', id: job.id, images: job.images }, job.transfer);
    }
  }

  private onMessage(slot: Slot, msg: FromWorker): void {
    if (msg.type === 'memory') {
      this.memoryWaiters.get(msg.id)?.resolve({ numTensors: msg.numTensors, numBytes: msg.numBytes });
      this.memoryWaiters.delete(msg.id);
    } else if ((msg.type === 'done' || msg.type === 'error') && slot.job?.id === msg.id) {
      const job = slot.job;
      slot.job = null;
      if (msg.type === 'done') job.resolve(msg.features);
      else job.reject(revive(msg.error));
    }
    if (!slot.job && this.memoryWaiters.size === 0) slot.worker.unref();
    this.dispatch();
  }

  /** A worker died (out of memory, a crash): nothing more can be trusted to finish. */
  private lost(slot: Slot, err: Error): void {
    if (this.closing || this.broken) return;
    this.broken = new Error(`the feature worker stopped: ${err.message}`);
    void this.stop(this.broken).catch(() => undefined);
  }
}

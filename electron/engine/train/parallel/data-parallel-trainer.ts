// Data-parallel training steps for models trained from scratch. WebAssembly runs on one
// thread per instance in Node, so one training step uses one core however many the
// machine has. Here each step's batch is cut into shards: the training thread computes
// the first shard's gradients while every worker (its own wasm instance, a replica of
// the model) computes another's; the shard gradients are averaged, weighted by shard
// size (the loss is a mean over the batch), and the one optimizer of the training
// thread applies the update. The workers receive the current weights with every shard,
// so replicas never drift, and no optimizer state lives outside the training thread
// (checkpoints and resume stay as they are).
//
// Only for models whose forward pass in training changes no state but the trainable
// weights (no batch-norm statistics): a worker's changes to anything else would be lost.
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { startWorker } from '../../workers/start-worker.js';
import { correctCount, crossEntropy } from '../run/metrics.js';
import type { Flat, FromGradientWorker, GradientWorkerData, ToGradientWorker } from './gradient-protocol.js';
import { shardDropoutSeed, withDropoutSeeds } from './seeded-dropout.js';

/** Batches are small (tens of images): more shards than this cost more in overhead than they gain. */
export const MAX_GRADIENT_WORKERS = 3;

/** Workers for this machine: one per core beside the training thread's, at most MAX_GRADIENT_WORKERS. */
export function defaultGradientWorkers(cores = os.availableParallelism()): number {
  return Math.max(0, Math.min(MAX_GRADIENT_WORKERS, cores - 1));
}

/** Why `model` cannot be trained data-parallel, or null when it can. */
export function dataParallelObstacle(model: tf.LayersModel): string | null {
  if (model.nonTrainableWeights.length > 0) {
    return `it has weights that training updates outside the gradient (${model.nonTrainableWeights[0]!.name})`;
  }
  return null;
}

let liveWorkers = 0;

/** Gradient worker threads started in this process that have not exited yet (none should outlive their run). */
export function liveGradientWorkers(): number {
  return liveWorkers;
}

export interface StepResult {
  /** Mean loss over the whole batch. */
  loss: number;
  /** Correctly classified rows of the whole batch. */
  correct: number;
}

interface Pending {
  resolve(msg: FromGradientWorker): void;
  reject(err: Error): void;
}

export class DataParallelTrainer {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  private constructor(
    private readonly model: tf.LayersModel,
    private readonly workers: Worker[],
  ) {
    for (const w of workers) {
      w.on('message', (msg: FromGradientWorker) => {
        if (!('id' in msg)) return;
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.type === 'error') p.reject(new Error(`a gradient worker failed: ${msg.message}`));
        else p.resolve(msg);
      });
      w.on('error', (err) => this.failAll(err));
    }
  }

  /**
   * Starts `workers` gradient workers with replicas of `model` (default: one per spare
   * core). Throws when the model cannot be trained this way (dataParallelObstacle).
   */
  static async start(model: tf.LayersModel, opts: { workers?: number; backend?: 'wasm' | 'cpu' } = {}): Promise<DataParallelTrainer> {
    const obstacle = dataParallelObstacle(model);
    if (obstacle) throw new Error(`this model cannot be trained data-parallel: ${obstacle}`);
    const count = opts.workers ?? defaultGradientWorkers();
    if (!Number.isInteger(count) || count < 1) throw new Error(`workers must be a whole number of at least 1, got ${count}`);
    const data: GradientWorkerData = { topology: JSON.stringify(model.toJSON(null, false)), backend: opts.backend ?? 'wasm' };
    const expected = model.trainableWeights.map((w) => w.shape.join('×')).join(', ');
    const started: Worker[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const w = startWorker(import.meta.url, './gradient-worker', { workerData: data });
        liveWorkers++;
        w.once('exit', () => liveWorkers--);
        started.push(w);
      }
      await Promise.all(started.map((w) => new Promise<void>((resolve, reject) => {
        const onMessage = (msg: FromGradientWorker) => {
          if (msg.type === 'failed') reject(new Error(`a gradient worker could not start: ${msg.message}`));
          else if (msg.type === 'ready') {
            const got = msg.weightShapes.map((s) => s.join('×')).join(', ');
            if (got !== expected) reject(new Error(`a gradient worker's replica has weights ${got}, the model ${expected}`));
            else resolve();
          } else return;
          w.off('message', onMessage);
        };
        w.on('message', onMessage);
        w.once('error', reject);
        w.once('exit', (code) => reject(new Error(`a gradient worker exited (code ${code}) while starting`)));
      })));
    } catch (err) {
      await Promise.all(started.map((w) => w.terminate()));
      throw err;
    }
    return new DataParallelTrainer(model, started);
  }

  /** wasm instances computing each step: the workers and the training thread. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /**
   * One optimizer step over `trainable` (the model's trainable variables) for the batch
   * (x, one-hot y), the same update optimizer.minimize would make from the whole batch's
   * mean cross-entropy, up to float rounding. With `dropoutSeed` (batchDropoutSeed) each
   * shard draws its dropout masks from shardDropoutSeed(dropoutSeed, shard): the same
   * masks whichever thread computes it, so a repeated run repeats exactly.
   */
  async step(optimizer: tf.Optimizer, trainable: tf.Variable[], x: tf.Tensor, y: tf.Tensor, dropoutSeed: number | null = null): Promise<StepResult> {
    if (this.closed) throw new Error('the data-parallel trainer is closed');
    const n = x.shape[0]!;
    const sizes = shardSizes(n, this.threads);
    const xs = tf.split(x, sizes);
    const ys = tf.split(y, sizes);
    try {
      const weights = trainable.map((v) => flat(v));
      // Shards go out before the training thread starts its own, so all run at once.
      const replies = Promise.all(sizes.slice(1).map((_, i) => this.request(i, {
        type: 'step', id: 0, weights, x: flat(xs[i + 1]!), y: flat(ys[i + 1]!),
        dropoutSeed: dropoutSeed === null ? null : shardDropoutSeed(dropoutSeed, i + 1),
      })));
      replies.catch(() => {}); // awaited below; not unhandled if the own shard throws first
      let correctT: tf.Scalar | undefined;
      const own = tf.variableGrads(() => {
        const seed = dropoutSeed === null ? null : shardDropoutSeed(dropoutSeed, 0);
        const p = withDropoutSeeds(this.model, seed, () => this.model.apply(xs[0]!, { training: true }) as tf.Tensor);
        correctT = tf.keep(correctCount(p, ys[0]!));
        return crossEntropy(p, ys[0]!);
      }, trainable);
      let loss = own.value.dataSync()[0]! * (sizes[0]! / n);
      let correct = correctT!.dataSync()[0]!;
      const others = (await replies) as Extract<FromGradientWorker, { type: 'step' }>[];
      const averaged = tf.tidy(() => {
        const out: tf.NamedTensorMap = {};
        trainable.forEach((v, j) => {
          let sum = tf.mul(own.grads[v.name]!, sizes[0]! / n);
          others.forEach((r, i) => {
            sum = tf.add(sum, tf.mul(tf.tensor(r.grads[j]!.values, r.grads[j]!.shape), sizes[i + 1]! / n));
          });
          out[v.name] = sum;
        });
        return out;
      });
      others.forEach((r, i) => {
        loss += r.loss * (sizes[i + 1]! / n);
        correct += r.correct;
      });
      optimizer.applyGradients(averaged);
      tf.dispose([own.value, correctT!, ...Object.values(own.grads), ...Object.values(averaged)]);
      return { loss, correct };
    } finally {
      tf.dispose([...xs, ...ys]);
    }
  }

  /** Tensors and bytes alive in each worker's instance (for memory checks). */
  async workerMemory(): Promise<{ numTensors: number; numBytes: number }[]> {
    const replies = await Promise.all(this.workers.map((_, i) => this.request(i, { type: 'memory', id: 0 })));
    return replies.map((r) => {
      const m = r as Extract<FromGradientWorker, { type: 'memory' }>;
      return { numTensors: m.numTensors, numBytes: m.numBytes };
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failAll(new Error('the data-parallel trainer was closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private request(worker: number, msg: ToGradientWorker): Promise<FromGradientWorker> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const transfer = msg.type === 'step' ? [msg.x.values.buffer as ArrayBuffer, msg.y.values.buffer as ArrayBuffer] : [];
      this.workers[worker]!.postMessage({ ...msg, id }, transfer);
    });
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

/** `n` rows cut into at most `parts` shards, as equal as can be, none empty. */
export function shardSizes(n: number, parts: number): number[] {
  const count = Math.max(1, Math.min(parts, n));
  return Array.from({ length: count }, (_, i) => Math.floor(n / count) + (i < n % count ? 1 : 0));
}

function flat(t: tf.Tensor): Flat {
  // A copy, also on the cpu backend (whose dataSync is its own buffer): transfers detach it.
  return { values: new Float32Array(t.dataSync() as Float32Array), shape: t.shape };
}

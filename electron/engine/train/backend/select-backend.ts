// Picks the fastest TensorFlow.js backend present, in order: CUDA (tfjs-node-gpu),
// native CPU (tfjs-node), WebAssembly, plain JavaScript. Each native package bundles
// its own libtensorflow and registers the same 'tensorflow' backend name, so loading
// both in one process corrupts it: once one native package loads, the other is never
// tried. Every skipped candidate leaves its reason, which the run record and the UI show.
import { createRequire } from 'node:module';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from './use-backend.js';
import { registerWasmTrainingKernels } from './wasm-kernels/register.js';

export type BackendId = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendPreference = 'auto' | BackendId;

export interface BackendChoice {
  id: BackendId;
  /**
   * What the user reads: "CPU (WebAssembly, 1 thread)". For wasm the count is of wasm
   * instances computing for the run: selection knows only its own (1); a run that adds
   * worker threads (feature extraction pool, data-parallel training) says so with withThreads.
   */
  label: string;
  /** Why each better candidate was not used, in the order tried. */
  skipped: { id: BackendId; reason: string }[];
  threads: number;
}

/** Loads a package by name; a function so tests can resolve from a folder of their own. */
export type PackageLoader = (name: string) => Promise<unknown>;

const NATIVE: { id: BackendId; pkg: string }[] = [
  { id: 'tensorflow-gpu', pkg: '@tensorflow/tfjs-node-gpu' },
  { id: 'tensorflow', pkg: '@tensorflow/tfjs-node' },
];

let nativeLoaded: BackendId | null = null;

function defaultLoader(): PackageLoader {
  const require = createRequire(import.meta.url);
  // require, not import(): the native packages are CommonJS and must resolve from our
  // own node_modules, not the caller's.
  return async (name) => require(name) as unknown;
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if ((err as { code?: string }).code === 'MODULE_NOT_FOUND' && msg.includes('Cannot find module')) return 'not installed';
  return msg.split('\n')[0]!.slice(0, 300);
}

const threadsText = (n: number) => `${n} thread${n === 1 ? '' : 's'}`;

export function backendLabel(id: BackendId, threads = 1): string {
  switch (id) {
    case 'tensorflow-gpu':
      return 'GPU (TensorFlow CUDA)';
    case 'tensorflow':
      return `CPU (TensorFlow native, ${os.availableParallelism()} threads)`;
    case 'wasm':
      return `CPU (WebAssembly, ${threadsText(threads)})`;
    case 'cpu':
      return 'CPU (plain JavaScript, slow)';
  }
}

/**
 * The choice once the run knows how many wasm instances compute for it (the training
 * thread plus the workers it started, e.g. FeatureExtractPool's or DataParallelTrainer's
 * threads). Only WebAssembly counts its threads this way: the native backends size their
 * own pools, and the plain JavaScript backend runs on the calling thread alone.
 */
export function withThreads(choice: BackendChoice, threads: number): BackendChoice {
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a whole number of at least 1, got ${threads}`);
  if (choice.id !== 'wasm') return choice;
  return { ...choice, threads, label: backendLabel('wasm', threads) };
}

/**
 * The label of a run that extracts features with a pool of `featureThreads` wasm instances
 * (the training thread only decodes meanwhile), then trains on `trainingThreads`: each
 * phase with its own count, since no one number is true of the whole run.
 */
export function featuresThenTrainingLabel(choice: BackendChoice, featureThreads: number, trainingThreads: number): string {
  if (choice.id !== 'wasm' || featureThreads === trainingThreads) return withThreads(choice, trainingThreads).label;
  return `CPU (WebAssembly, ${threadsText(featureThreads)} extracting features, ${threadsText(trainingThreads)} training)`;
}

/**
 * Chooses and activates a backend. `prefer` pins one (the candidates before it are
 * recorded as skipped by choice); 'auto' tries them all in order.
 */
export async function selectBackend(
  prefer: BackendPreference = 'auto',
  load: PackageLoader = defaultLoader(),
): Promise<BackendChoice> {
  const skipped: BackendChoice['skipped'] = [];
  const order: BackendId[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
  const start = prefer === 'auto' ? 0 : order.indexOf(prefer);
  for (let i = 0; i < start; i++) skipped.push({ id: order[i]!, reason: `not chosen: backend '${prefer}' was requested` });

  for (const id of order.slice(start)) {
    const native = NATIVE.find((n) => n.id === id);
    if (native) {
      if (nativeLoaded && nativeLoaded !== id) {
        skipped.push({ id, reason: `another native package (${nativeLoaded}) is already loaded in this process` });
        continue;
      }
      try {
        await load(native.pkg);
        const ok = await tf.setBackend('tensorflow');
        if (!ok) throw new Error('the native backend did not initialise');
        await tf.ready();
        if (id === 'tensorflow-gpu' && !(await hasGpu())) throw new Error('no CUDA device is visible');
        nativeLoaded = id;
        return { id, label: backendLabel(id), skipped, threads: os.availableParallelism() };
      } catch (err) {
        skipped.push({ id, reason: firstLine(err) });
        continue;
      }
    }
    try {
      await useBackend(id as 'wasm' | 'cpu');
      if (id === 'wasm') registerWasmTrainingKernels();
      return { id, label: backendLabel(id, 1), skipped, threads: 1 };
    } catch (err) {
      skipped.push({ id, reason: firstLine(err) });
    }
  }
  throw new Error(`no TensorFlow.js backend could start: ${skipped.map((s) => `${s.id}: ${s.reason}`).join('; ')}`);
}

/** tfjs-node-gpu falls back to the CPU silently when CUDA is missing; ask it. */
async function hasGpu(): Promise<boolean> {
  const backend = tf.backend() as unknown as { isUsingGpuDevice?: boolean };
  return backend.isUsingGpuDevice !== false;
}

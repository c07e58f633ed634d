// Holdout's side of (a) in `npm run bench -- cpu`: frozen MobileNetV2 features at
// 224×224, batch 16, images/s, the two ways the app runs them on the WebAssembly backend:
//   single — one wasm instance in this thread: loadBackbone with inferenceOnly (batch
//            norms folded into the convolutions, ReLUs fused), extract() on a float
//            tensor in 0..1 already built, as PyTorch gets its input;
//   pool   — FeatureExtractPool (one worker thread and wasm instance per core), fed
//            decoded uint8 pixels as a training run feeds it (no file decoding; the
//            workers' /255 conversion and the transfers are included), one batch more
//            in flight than there are workers.
import * as tf from '@tensorflow/tfjs';
import { loadBackbone } from '../../electron/engine/train/backbones/backbone.js';
import type { BackboneEntry } from '../../electron/engine/train/backbones/descriptor.js';
import { mapLimit } from '../../electron/engine/train/data/map-limit.js';
import { FeatureExtractPool } from '../../electron/engine/train/features/extract-pool.js';
import { median } from './cpu-peer.js';
import { profileKernels, type KernelProfile } from './kernel-profile.js';

export const INFERENCE_BATCH = 16;
/** Batches per timed repetition, in one thread (the peer times the same). */
export const BATCHES_PER_REP = 2;

export interface SingleResult {
  ips: number;
  profile: KernelProfile | null;
}

export async function measureSingle(entry: BackboneEntry, reps: number, profile: boolean): Promise<SingleResult> {
  const bb = await loadBackbone(entry, { inferenceOnly: true });
  const { inputSize: size, channels } = bb;
  const x = tf.randomUniform([INFERENCE_BATCH, size, size, channels], 0, 1, 'float32', 1) as tf.Tensor4D;
  const once = async () => {
    const f = bb.extract(x);
    await f.data();
    f.dispose();
  };
  try {
    // The first call builds XNNPACK's operators; the second runs as every later one.
    await once();
    await once();
    const seconds: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      for (let b = 0; b < BATCHES_PER_REP; b++) await once();
      seconds.push((performance.now() - t0) / 1000);
    }
    const kernels = profile ? await profileKernels(once) : null;
    return { ips: (INFERENCE_BATCH * BATCHES_PER_REP) / median(seconds), profile: kernels };
  } finally {
    x.dispose();
    bb.dispose();
  }
}

export interface PoolResult {
  ips: number;
  workers: number;
  startSeconds: number;
}

/** Random pixels, the same for every batch: timing does not depend on their values. */
function pixelTemplate(size: number, channels: number): Uint8Array[] {
  let s = 12345;
  return Array.from({ length: INFERENCE_BATCH }, () => {
    const px = new Uint8Array(size * size * channels);
    for (let i = 0; i < px.length; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      px[i] = s >>> 24;
    }
    return px;
  });
}

export async function measurePool(entry: BackboneEntry, reps: number, workers?: number): Promise<PoolResult> {
  const t0 = performance.now();
  const pool = await FeatureExtractPool.start({ backbone: entry, ...(workers ? { workers } : {}) });
  const startSeconds = (performance.now() - t0) / 1000;
  const template = pixelTemplate(pool.inputSize, pool.channels);
  // The pool moves each batch's buffers to its worker: every batch gets its own copy.
  const batch = () => template.map((px, i) => ({ name: `synthetic-${i}`, pixels: px.slice(), augment: null }));
  const batchesPerRep = BATCHES_PER_REP * pool.size;
  try {
    // Warm every worker twice (XNNPACK's operators are built on the first call).
    await Promise.all(Array.from({ length: 2 * pool.size }, () => pool.extract(batch())));
    const seconds: number[] = [];
    for (let r = 0; r < reps; r++) {
      const s0 = performance.now();
      await mapLimit(Array.from({ length: batchesPerRep }), pool.size + 1, () => pool.extract(batch()));
      seconds.push((performance.now() - s0) / 1000);
    }
    return { ips: (INFERENCE_BATCH * batchesPerRep) / median(seconds), workers: pool.size, startSeconds };
  } finally {
    await pool.close();
  }
}

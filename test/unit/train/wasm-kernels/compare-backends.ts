// Runs the same computation on the CPU backend (the reference) and on wasm with our
// training kernels, from identical seeded inputs, and measures the disagreement.
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../../../electron/engine/train/backend/use-backend.js';
import { registerWasmTrainingKernels } from '../../../../electron/engine/train/backend/wasm-kernels/register.js';

export async function prepareBackends(): Promise<void> {
  await useBackend('cpu');
  await useBackend('wasm');
  registerWasmTrainingKernels();
}

/** Deterministic pseudo-normal values (xorshift + Box–Muller), so both backends see the same data. */
export function seededValues(size: number, seed: number, scale = 1): Float32Array {
  let state = (seed * 2654435761) >>> 0 || 1;
  const uniform = () => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return (state + 0.5) / 4294967296;
  };
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    out[i] = scale * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  }
  return out;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Runs `compute` under tidy on one backend and returns its outputs as plain arrays. */
export async function runOn(backend: 'cpu' | 'wasm', compute: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outputs = tf.tidy(compute);
  const values = outputs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outputs);
  return values;
}

/** Largest |a−b| over all outputs; with `relative`, differences are divided by max(1, |a|). */
export function maxDifference(a: Float32Array[], b: Float32Array[], relative = false): number {
  if (a.length !== b.length) throw new Error(`output counts differ: ${a.length} vs ${b.length}`);
  let worst = 0;
  a.forEach((values, i) => {
    const other = b[i]!;
    if (values.length !== other.length) throw new Error(`output ${i} sizes differ: ${values.length} vs ${other.length}`);
    for (let j = 0; j < values.length; j++) {
      const diff = Math.abs(values[j]! - other[j]!) / (relative ? Math.max(1, Math.abs(values[j]!)) : 1);
      worst = Number.isNaN(diff) ? Infinity : Math.max(worst, diff);
    }
  });
  return worst;
}

/** CPU reference vs wasm candidate for the same computation. */
export async function disagreement(compute: () => tf.Tensor[], relative = false): Promise<number> {
  const reference = await runOn('cpu', compute);
  const candidate = await runOn('wasm', compute);
  return maxDifference(reference, candidate, relative);
}

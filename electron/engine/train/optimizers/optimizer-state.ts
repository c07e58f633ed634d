// An optimizer's state (iteration count, Adam's moments, momentum buffers) as plain
// arrays, so a checkpoint can carry it and a resumed run continues exactly where it
// stopped instead of restarting Adam's bias correction from step one.
import * as tf from '@tensorflow/tfjs';

export interface SavedOptimizerWeight {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array;
}

export interface OptimizerState {
  /** The optimizer's registered class name: 'AdamW', 'Adam', 'SGDW', … */
  kind: string;
  config: tf.serialization.ConfigDict;
  weights: SavedOptimizerWeight[];
}

/** What restore accepts: a saved state, also after a round trip through a checkpoint file (which may give int32 data back as an Int32Array). */
export interface RestorableOptimizerState {
  kind: string;
  weights: ReadonlyArray<{ name: string; shape: number[]; dtype: 'float32' | 'int32'; data: Float32Array | Int32Array }>;
}

type NamedWeight = Awaited<ReturnType<tf.Optimizer['getWeights']>>[number];

export async function saveOptimizerState(opt: tf.Optimizer): Promise<OptimizerState> {
  const named = await opt.getWeights();
  try {
    const weights: SavedOptimizerWeight[] = [];
    for (const { name, tensor } of named) {
      if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32') {
        throw new Error(`optimizer weight "${name}" has dtype ${tensor.dtype}; only float32 and int32 are saved`);
      }
      // int32 holds only the iteration count; a float32 holds it exactly up to 2^24 steps.
      weights.push({ name, shape: [...tensor.shape], dtype: tensor.dtype, data: Float32Array.from(await tensor.data()) });
    }
    return { kind: opt.getClassName(), config: opt.getConfig(), weights };
  } finally {
    disposeTemporaries(named);
  }
}

/**
 * Puts a saved state into `opt`, which must be of the same kind and be used with the
 * same variables in the same order (the moments are matched by position, as tf does).
 * Any state `opt` already had is released.
 */
export async function restoreOptimizerState(opt: tf.Optimizer, state: RestorableOptimizerState): Promise<void> {
  if (opt.getClassName() !== state.kind) {
    throw new Error(`optimizer state is for ${state.kind}, but the optimizer is ${opt.getClassName()}`);
  }
  const first = state.weights[0];
  if (first === undefined || first.name !== 'iter') {
    throw new Error('optimizer state: the first weight must be the iteration count "iter"');
  }
  for (const w of state.weights) {
    const size = w.shape.reduce((a, b) => a * b, 1);
    if (w.data.length !== size) {
      throw new Error(`optimizer state: weight "${w.name}" has ${w.data.length} values for shape [${w.shape.join(', ')}]`);
    }
  }
  const previous = await opt.getWeights();
  const incoming: NamedWeight[] = state.weights.map((w) => ({
    name: w.name,
    tensor: w.dtype === 'int32' ? tf.tensor(Int32Array.from(w.data), w.shape, 'int32') : tf.tensor(w.data, w.shape, 'float32'),
  }));
  try {
    await opt.setWeights(incoming);
  } finally {
    // setWeights made its own variables from these (sharing their data), so ours can go.
    tf.dispose(incoming.map((w) => w.tensor));
  }
  // tf's setWeights replaces the state variables without releasing the old ones.
  tf.dispose(previous.map((w) => w.tensor));
}

/** getWeights() makes a fresh scalar for the iteration count; the rest are the optimizer's own variables. */
function disposeTemporaries(named: NamedWeight[]): void {
  for (const { tensor } of named) if (!(tensor instanceof tf.Variable)) tensor.dispose();
}

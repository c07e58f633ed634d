// Switches TensorFlow.js to one of the backends that run everywhere (wasm, cpu).
// The native packages (tfjs-node, tfjs-node-gpu) are chosen by select-backend.ts;
// this is the small piece tests and workers use to pin a backend explicitly.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { wasmDistDir } from './wasm-paths.js';

let wasmPathsSet = false;

export type PortableBackend = 'wasm' | 'cpu';

export async function useBackend(name: PortableBackend): Promise<typeof tf> {
  if (name === 'wasm' && !wasmPathsSet) {
    setWasmPaths(wasmDistDir());
    wasmPathsSet = true;
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`TensorFlow.js backend '${name}' could not be initialised`);
  await tf.ready();
  return tf;
}

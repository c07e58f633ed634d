// Messages between DataParallelTrainer (the training thread) and its gradient workers.
// Tensors travel as flat Float32Arrays with their shapes; weights are sent with every
// step, so a worker's replica can never drift from the model being trained.

export interface GradientWorkerData {
  /** The model's topology (LayersModel.toJSON), rebuilt in the worker with standard layers. */
  topology: string;
  backend: 'wasm' | 'cpu';
}

export interface Flat {
  values: Float32Array;
  shape: number[];
}

export type ToGradientWorker =
  /** dropoutSeed: this shard's (seeded-dropout.ts), null for TF.js's own draws. */
  | { type: 'step'; id: number; weights: Flat[]; x: Flat; y: Flat; dropoutSeed: number | null }
  | { type: 'memory'; id: number };

export type FromGradientWorker =
  | { type: 'ready'; weightShapes: number[][] }
  | { type: 'failed'; message: string }
  | { type: 'step'; id: number; grads: Flat[]; loss: number; correct: number }
  | { type: 'memory'; id: number; numTensors: number; numBytes: number }
  | { type: 'error'; id: number; message: string };

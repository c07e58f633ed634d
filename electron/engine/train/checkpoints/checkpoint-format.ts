// What a checkpoint folder holds and how its content becomes files and back:
//   model.json     the model's topology and weight specs (tf.io.ModelArtifacts minus weights)
//   weights.bin    the model's weights, concatenated as the specs list them
//   optimizer.json the optimizer's kind, config and the layout of optimizer.bin (if any)
//   optimizer.bin  the optimizer's slots (Adam's moments, the iteration count, …)
//   state.json     the training loop's own state (epoch, rng, early stopping, …)
//   manifest.json  written last: every other file's byte length and sha256
import type * as tf from '@tensorflow/tfjs';

export const CHECKPOINT_FORMAT = 'holdout-checkpoint';
export const CHECKPOINT_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const WEIGHTS_FILE = 'weights.bin';
export const REQUIRED_FILES = ['model.json', WEIGHTS_FILE, 'state.json'] as const;
export const OPTIONAL_FILES = ['optimizer.json', 'optimizer.bin'] as const;

export type OptimizerWeightDtype = 'float32' | 'int32';

export interface OptimizerWeight {
  name: string;
  shape: number[];
  /** The tensor's dtype, to restore it as it was. */
  dtype: OptimizerWeightDtype;
  /** The values as float32 whatever the dtype: an int32 slot holds only the iteration count, exact up to 2^24. */
  data: Float32Array;
}

/** An optimizer's state: enough to continue exactly where it stopped. */
export interface OptimizerState {
  /** The optimizer's registered class name: 'AdamW', 'Adam', 'SGDW', … */
  kind: string;
  config: tf.serialization.ConfigDict;
  weights: OptimizerWeight[];
}

export interface CheckpointContent {
  /** From model.save(tf.io.withSaveHandler(…)): see artifactsOf in to-model.ts. */
  modelArtifacts: tf.io.ModelArtifacts;
  optimizer: OptimizerState | null;
  /** JSON: the epoch, rng state, early-stopping state, … */
  state: unknown;
}

export interface ManifestEntry {
  name: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  name: string;
  createdAt: string;
  files: ManifestEntry[];
}

interface OptimizerJson {
  kind: string;
  config: tf.serialization.ConfigDict;
  weights: { name: string; shape: number[]; dtype: OptimizerWeightDtype; offset: number; bytes: number }[];
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

function json(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

/** The files of a checkpoint (all but the manifest), in the order they are written. */
export function encodeCheckpoint(content: CheckpointContent): Map<string, Uint8Array> {
  const { weightData, getWeightStream: _stream, ...rest } = content.modelArtifacts;
  if (rest.modelTopology instanceof ArrayBuffer) {
    throw new Error('only layers models can be checkpointed: this model has a GraphDef topology');
  }
  if (weightData === undefined) throw new Error('the model artifacts have no weights (weightData) to checkpoint');
  const files = new Map<string, Uint8Array>();
  files.set('model.json', json(rest));
  const shards = Array.isArray(weightData) ? weightData : [weightData];
  files.set(WEIGHTS_FILE, concat(shards.map((b) => new Uint8Array(b))));
  if (content.optimizer) {
    const layout: OptimizerJson = { kind: content.optimizer.kind, config: content.optimizer.config, weights: [] };
    const parts: Uint8Array[] = [];
    let offset = 0;
    for (const w of content.optimizer.weights) {
      checkOptimizerWeight(w);
      const b = bytesOf(w.data);
      layout.weights.push({ name: w.name, shape: w.shape, dtype: w.dtype, offset, bytes: b.byteLength });
      parts.push(b);
      offset += b.byteLength;
    }
    files.set('optimizer.json', json(layout));
    files.set('optimizer.bin', concat(parts));
  }
  files.set('state.json', json(content.state ?? null));
  return files;
}

function checkOptimizerWeight(w: OptimizerWeight): void {
  const size = w.shape.reduce((a, b) => a * b, 1);
  if (w.dtype !== 'float32' && w.dtype !== 'int32') throw new Error(`optimizer weight ${w.name}: dtype ${String(w.dtype)} cannot be saved (float32 or int32)`);
  if (!(w.data instanceof Float32Array)) throw new Error(`optimizer weight ${w.name}: data must be a Float32Array`);
  if (size !== w.data.length) throw new Error(`optimizer weight ${w.name}: shape [${w.shape.join(',')}] needs ${size} values, data has ${w.data.length}`);
}

/** An ArrayBuffer of its own (Node may hand out Buffers that share a pooled one). */
function ownBuffer(b: Uint8Array): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

function parse<T>(b: Uint8Array): T {
  return JSON.parse(new TextDecoder().decode(b)) as T;
}

/** The inverse of encodeCheckpoint, from files already verified against the manifest. */
export function decodeCheckpoint(files: ReadonlyMap<string, Uint8Array>): CheckpointContent {
  const get = (name: string): Uint8Array => {
    const b = files.get(name);
    if (!b) throw new Error(`${name} is missing`);
    return b;
  };
  const modelArtifacts: tf.io.ModelArtifacts = { ...parse<tf.io.ModelArtifacts>(get('model.json')), weightData: ownBuffer(get(WEIGHTS_FILE)) };
  let optimizer: OptimizerState | null = null;
  const optJson = files.get('optimizer.json');
  if (optJson) {
    const layout = parse<OptimizerJson>(optJson);
    const bin = ownBuffer(get('optimizer.bin'));
    optimizer = {
      kind: layout.kind,
      config: layout.config,
      weights: layout.weights.map((w) => {
        const slice = bin.slice(w.offset, w.offset + w.bytes);
        return { name: w.name, shape: w.shape, dtype: w.dtype, data: new Float32Array(slice) };
      }),
    };
  }
  return { modelArtifacts, optimizer, state: parse<unknown>(get('state.json')) };
}

// Reading and checking a TensorFlow.js model.json before any weight is touched: is it a
// TF.js model at all, which of the two formats, which shard files it needs and how
// many bytes its weights take. Shared by the folder loader, the importer and the
// downloader, so each names the same problems in the same words.
import type * as tf from '@tensorflow/tfjs';
import { ApiError } from '../../../api/errors.js';

export type ModelFormat = 'layers' | 'graph';

export interface WeightGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

export interface ModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: Record<string, unknown>;
  weightsManifest: WeightGroup[];
  signature?: unknown;
  userDefinedMetadata?: Record<string, unknown>;
  modelInitializer?: unknown;
  initializerSignature?: unknown;
  trainingConfig?: unknown;
}

const BYTES_PER: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
  complex64: 8,
};

/** Parses model.json text; `file` is only used to name it in errors. */
export function parseModelJson(text: string, file: string): ModelJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ApiError('invalid_request', `${file} is not valid JSON (${(err as Error).message})`, 'folder');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiError('invalid_request', `${file} is not a TensorFlow.js model: it holds no JSON object`, 'folder');
  }
  const json = value as Partial<ModelJson>;
  if (typeof json.modelTopology !== 'object' || json.modelTopology === null) {
    throw new ApiError('invalid_request', `${file} is not a TensorFlow.js model: it has no "modelTopology"`, 'folder');
  }
  if (!Array.isArray(json.weightsManifest)) {
    throw new ApiError('invalid_request', `${file} is not a TensorFlow.js model: it has no "weightsManifest" list`, 'folder');
  }
  json.weightsManifest.forEach((group, i) => {
    const ok =
      typeof group === 'object' &&
      group !== null &&
      Array.isArray(group.paths) &&
      group.paths.every((p) => typeof p === 'string' && p.length > 0) &&
      Array.isArray(group.weights);
    if (!ok) throw new ApiError('invalid_request', `${file}: weightsManifest[${i}] needs "paths" (file names) and "weights"`, 'folder');
    for (const p of group.paths) assertPlainShardPath(p, file);
  });
  modelFormat(json as ModelJson, file);
  return json as ModelJson;
}

/**
 * A shard path must stay inside the model's folder: a model.json from the internet
 * must not make us read or write "../../something".
 */
function assertPlainShardPath(p: string, file: string): void {
  const parts = p.split(/[\\/]/);
  if (p.startsWith('/') || /^[a-zA-Z]:/.test(p) || parts.some((s) => s === '..' || s === '')) {
    throw new ApiError('invalid_request', `${file}: weight file "${p}" points outside the model's folder`, 'folder');
  }
}

/** Graph models carry a GraphDef ("node"); layers models a Keras config. */
export function modelFormat(json: ModelJson, file = 'model.json'): ModelFormat {
  const topo = json.modelTopology;
  if (json.format === 'graph-model' || Array.isArray(topo['node'])) return 'graph';
  if (json.format === 'layers-model' || 'model_config' in topo || 'class_name' in topo) return 'layers';
  throw new ApiError(
    'invalid_request',
    `${file} is not a TensorFlow.js layers or graph model: its "modelTopology" has neither a Keras config nor graph nodes`,
    'folder',
  );
}

/** Bytes one weight group's shards must hold together, or undefined when a dtype has no fixed size (strings). */
export function groupBytes(group: WeightGroup): number | undefined {
  let total = 0;
  for (const w of group.weights) {
    const dtype = w.quantization?.dtype ?? w.dtype;
    const per = BYTES_PER[dtype];
    if (per === undefined) return undefined;
    total += w.shape.reduce((a, b) => a * b, 1) * per;
  }
  return total;
}

/** Every shard file the model needs, in the order TF.js concatenates them. */
export function shardPaths(json: ModelJson): string[] {
  return json.weightsManifest.flatMap((g) => g.paths);
}

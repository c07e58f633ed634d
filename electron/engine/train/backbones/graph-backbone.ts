// Features from a graph model: execute the graph up to the named node. Graph models
// are frozen (no training), so they serve the frozen-features path only. A 4-D node is
// averaged over space; anything wider than 2-D after that is flattened.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ApiError } from '../../../api/errors.js';
import type { FeatureExtractor } from './backbone.js';
import { loadGraphModelFromFolder, type ModelFolder } from './load-model-folder.js';
import type { ModelJson } from './model-json.js';

interface GraphNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, unknown>;
}

export function graphNodes(json: ModelJson): GraphNode[] {
  const nodes = json.modelTopology['node'];
  return Array.isArray(nodes) ? (nodes as GraphNode[]) : [];
}

/** "name", "name:0" → "name": TF names a node's first output "name:0". */
export function nodeName(tensorName: string): string {
  return tensorName.replace(/:\d+$/, '');
}

export async function graphFeatureExtractor(folder: ModelFolder, featureLayer: string): Promise<FeatureExtractor> {
  const modelFile = path.join(folder.dir, 'model.json');
  const names = new Set(graphNodes(folder.json).map((n) => n.name));
  if (!names.has(nodeName(featureLayer))) {
    throw new ApiError('invalid_request', `feature node "${featureLayer}" is not in the graph of ${modelFile}`, 'featureLayer');
  }
  const model = await loadGraphModelFromFolder(folder.dir, folder);
  const run = (input: tf.Tensor4D): tf.Tensor2D => {
    let out: tf.Tensor;
    try {
      out = model.execute(input, featureLayer) as tf.Tensor;
    } catch (err) {
      throw new ApiError('invalid_request', `${modelFile} cannot run to "${featureLayer}": ${(err as Error).message}`, 'featureLayer');
    }
    if (out.rank === 4) return tf.mean(out, [1, 2]) as tf.Tensor2D;
    if (out.rank === 2) return out as tf.Tensor2D;
    if (out.rank > 2) return tf.reshape(out, [out.shape[0]!, -1]) as tf.Tensor2D;
    throw new ApiError('invalid_request', `feature node "${featureLayer}" gives a ${out.rank}-D output, not one vector per image`, 'featureLayer');
  };
  return { featureDim: undefined, run, dispose: () => model.dispose() };
}

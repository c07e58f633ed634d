// What a person importing a model needs to choose: the input it takes and the layers
// (or graph nodes) whose output can serve as features, with one suggested. The
// suggestion is the last pooled/flattened output of the convolutional body, before any
// task head: a head trained for someone else's classes generalises worse than what
// feeds it (for nsfwjs' MobileNetV2 that is flatten_1, not the 5-class softmax).
import { ApiError } from '../../../api/errors.js';
import { graphNodes, nodeName } from './graph-backbone.js';
import { loadLayersModelFromFolder, readModelFolder, type ModelFolder } from './load-model-folder.js';
import type { ModelFormat } from './model-json.js';

export interface FeatureCandidate {
  /** Layer name (layers models) or node name (graph models). */
  name: string;
  /** Keras class name or TensorFlow op. */
  kind: string;
  /** Output shape with the batch dimension, when known before running the model. */
  shape: (number | null)[] | null;
}

export interface ModelInspection {
  format: ModelFormat;
  /** Square input side, or null when the model takes any size. */
  inputSize: number | null;
  /** Input height and width as declared (null: any). */
  inputShape: [number | null, number | null];
  channels: number | null;
  candidates: FeatureCandidate[];
  suggested: string;
}

const POOLED = new Set(['GlobalAveragePooling2D', 'GlobalMaxPooling2D', 'Flatten', 'AveragePooling2D']);
// A graph's classifier head, seen walking back from its output: logits and their softmax.
const HEAD_OPS = new Set(['Identity', 'Softmax', 'Sigmoid', 'MatMul', '_FusedMatMul', 'BiasAdd', 'Add', 'AddV2']);

export async function inspectModelFolder(dir: string, folder: ModelFolder = readModelFolder(dir)): Promise<ModelInspection> {
  return folder.format === 'layers' ? inspectLayers(folder) : inspectGraph(folder);
}

async function inspectLayers(folder: ModelFolder): Promise<ModelInspection> {
  const model = await loadLayersModelFromFolder(folder.dir, folder);
  try {
    if (model.inputs.length !== 1) {
      throw new ApiError('invalid_request', `${folder.dir}: the model has ${model.inputs.length} inputs; a backbone takes one image`, 'folder');
    }
    const inShape = model.inputs[0]!.shape;
    const candidates: FeatureCandidate[] = [];
    for (const layer of model.layers) {
      if (layer.getClassName() === 'InputLayer' || Array.isArray(layer.output)) continue;
      const shape = layer.output.shape;
      if (shape.length === 2 || shape.length === 4) candidates.push({ name: layer.name, kind: layer.getClassName(), shape: [...shape] });
    }
    if (candidates.length === 0) throw new ApiError('invalid_request', `${folder.dir}: no layer gives a 2-D or 4-D output`, 'folder');
    return { format: 'layers', ...inputOf(inShape), candidates, suggested: suggestLayer(candidates) };
  } finally {
    model.dispose();
  }
}

/**
 * The last pooled or flattened layer; failing that, the last 4-D layer (it will be
 * average-pooled); failing that, the penultimate layer.
 */
export function suggestLayer(candidates: FeatureCandidate[]): string {
  const last = <T>(xs: T[]): T | undefined => xs[xs.length - 1];
  const pooled = last(candidates.filter((c) => POOLED.has(c.kind) && c.shape?.length === 2));
  if (pooled) return pooled.name;
  const map = last(candidates.filter((c) => c.shape?.length === 4));
  if (map) return map.name;
  // The penultimate layer; a dropout there is the identity at inference, so look past it.
  let i = candidates.length - 2;
  while (i > 0 && candidates[i]!.kind === 'Dropout') i--;
  return candidates[Math.max(0, i)]!.name;
}

function inputOf(shape: (number | null)[]): Pick<ModelInspection, 'inputSize' | 'inputShape' | 'channels'> {
  if (shape.length !== 4) {
    throw new ApiError('invalid_request', `the model's input has shape [${shape.join(', ')}]; a backbone takes images [N, height, width, channels]`, 'folder');
  }
  const h = shape[1] ?? null;
  const w = shape[2] ?? null;
  const c = shape[3] ?? null;
  const size = h !== null && h > 0 && h === w ? h : null;
  return { inputSize: size, inputShape: [h !== null && h > 0 ? h : null, w !== null && w > 0 ? w : null], channels: c !== null && c > 0 ? c : null };
}

function inspectGraph(folder: ModelFolder): ModelInspection {
  const nodes = graphNodes(folder.json);
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const inputs = nodes.filter((n) => n.op === 'Placeholder' && !isResource(n));
  if (inputs.length !== 1) {
    throw new ApiError('invalid_request', `${folder.dir}: the graph has ${inputs.length} inputs; a backbone takes one image`, 'folder');
  }
  const shape = placeholderShape(inputs[0]!);
  const outputs = graphOutputs(folder, nodes);
  // Walk back from the first output along each node's first non-constant input.
  const chain: FeatureCandidate[] = [];
  let cur = outputs[0] ? byName.get(outputs[0]) : undefined;
  while (cur && chain.length < 12 && cur.op !== 'Placeholder') {
    chain.push({ name: cur.name, kind: cur.op, shape: null });
    const next = (cur.input ?? []).map((i) => byName.get(nodeName(i.replace(/^\^/, '')))).find((n) => n && n.op !== 'Const');
    cur = next;
  }
  if (chain.length === 0) throw new ApiError('invalid_request', `${folder.dir}: cannot find the graph's output node`, 'folder');
  const suggested = chain.find((c) => !HEAD_OPS.has(c.kind)) ?? chain[0]!;
  return { format: 'graph', ...inputOf(shape), candidates: chain, suggested: suggested.name };
}

function isResource(n: { attr?: Record<string, unknown> }): boolean {
  const dtype = (n.attr?.['dtype'] as { type?: string } | undefined)?.type;
  return dtype === 'DT_RESOURCE';
}

function placeholderShape(n: { attr?: Record<string, unknown> }): (number | null)[] {
  const dims = (n.attr?.['shape'] as { shape?: { dim?: { size?: string }[] } } | undefined)?.shape?.dim;
  if (!dims) return [null, null, null, null];
  return dims.map((d) => {
    const v = Number(d.size ?? -1);
    return v > 0 ? v : null;
  });
}

/** The signature's outputs, else nodes nothing else consumes. */
function graphOutputs(folder: ModelFolder, nodes: ReturnType<typeof graphNodes>): string[] {
  const sig = (folder.json.signature ?? (folder.json.userDefinedMetadata?.['signature'] as unknown)) as
    | { outputs?: Record<string, { name?: string }> }
    | undefined;
  const fromSig = Object.values(sig?.outputs ?? {})
    .map((o) => (o.name ? nodeName(o.name) : ''))
    .filter((n) => n.length > 0);
  if (fromSig.length > 0) return fromSig;
  const consumed = new Set(nodes.flatMap((n) => (n.input ?? []).map((i) => nodeName(i.replace(/^\^/, '')))));
  return nodes.filter((n) => !consumed.has(n.name) && n.op !== 'Const' && n.op !== 'NoOp').map((n) => n.name);
}

// Writes one member's model into the export folder in TF.js layers format (model.json +
// weights.bin) and says, as a preprocessing.json entry, how an image reaches it:
//   small CNN      image → model
//   fine-tune      image → normalise → model (backbone and head are one layers model already)
//   frozen-head    image → normalise → backbone → head. A GRAPH backbone (the bundled
//                  default) cannot be merged into a layers model, so its own files are
//                  exported under backbones/<id>/ and the head reads its feature node,
//                  averaged over height and width, exactly as the app computes features.
//                  A LAYERS backbone's feature model and the head are composed into one
//                  layers model that takes images.
//   small ViT      image → model, whose custom layers (HoldoutLayerNorm, …) must be
//                  registered first: customLayers names the file that defines them
//                  (example/holdout-layers.js, the app's own definition) and the classes.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { findBackbone } from '../train/backbones/resolve-backbone.js';
import { featureModelOf } from '../train/backbones/layers-backbone.js';
import { loadLayersModelFromFolder, readModelFolder } from '../train/backbones/load-model-folder.js';
import type { BackboneEntry } from '../train/backbones/descriptor.js';
import { artifactsOf } from '../train/checkpoints/to-model.js';
import { HOLDOUT_LAYER_CLASS_NAMES, HOLDOUT_LAYERS_FILE } from '../train/models/vit-layers/holdout-layers.js';
import type { ExportMember } from './export-members.js';

export type Stage =
  | { type: 'graph'; path: string; outputNode: string; pool: 'mean over height and width' }
  | { type: 'layers'; path: string };

export interface MemberLayout {
  name: string;
  runId: number;
  modelKind: string;
  checkpointEpoch: number;
  input: { size: number; channels: 1 | 3; fit: 'fill' | 'cover' };
  /** After the division by 255: x·multiply + add; null when the model takes 0..1 as it is. */
  normalise: { multiply: number; add: number } | null;
  /** Run in order; the last gives the class probabilities. */
  stages: Stage[];
  /**
   * Custom layer classes the layers stage names (null: plain TF.js loads it). Load `file`
   * (relative to the export folder) and call defineHoldoutLayers(tf) before loading.
   */
  customLayers: { file: string; classes: string[] } | null;
}

/** Where every export keeps the custom layers' definition, relative to the export folder. */
export const CUSTOM_LAYERS_FILE = `example/${HOLDOUT_LAYERS_FILE}`;

/** The Holdout layer classes a written model.json names anywhere in its topology, sorted. */
export function customLayersOf(modelJsonFile: string): MemberLayout['customLayers'] {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (k === 'class_name' && typeof child === 'string' && HOLDOUT_LAYER_CLASS_NAMES.includes(child)) found.add(child);
        else walk(child);
      }
    }
  };
  walk((JSON.parse(fs.readFileSync(modelJsonFile, 'utf8')) as { modelTopology?: unknown }).modelTopology);
  return found.size === 0 ? null : { file: CUSTOM_LAYERS_FILE, classes: [...found].sort() };
}

/** Writes a layers model as <dir>/model.json + <dir>/weights.bin. */
export async function writeLayersModel(model: tf.LayersModel, dir: string): Promise<void> {
  const artifacts = await artifactsOf(model);
  const data = artifacts.weightData;
  const bytes = data === undefined ? Buffer.alloc(0) : Array.isArray(data) ? Buffer.concat(data.map((b) => Buffer.from(b))) : Buffer.from(data);
  fs.mkdirSync(dir, { recursive: true });
  const json = {
    format: 'layers-model',
    generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
  };
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
  fs.writeFileSync(path.join(dir, 'weights.bin'), bytes);
}

/** Copies a backbone's model.json, its weight files, backbone.json and licence, once per export. */
function copyBackbone(entry: BackboneEntry, dest: string): void {
  if (fs.existsSync(path.join(dest, 'model.json'))) return;
  fs.mkdirSync(dest, { recursive: true });
  const folder = readModelFolder(entry.dir);
  const files = new Set(['model.json', 'backbone.json', ...folder.json.weightsManifest.flatMap((g) => g.paths)]);
  for (const extra of ['LICENSE', 'LICENSE.txt', 'README.md']) if (fs.existsSync(path.join(entry.dir, extra))) files.add(extra);
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dest, f)), { recursive: true });
    fs.copyFileSync(path.join(entry.dir, f), path.join(dest, f));
  }
}

function normaliseOf(entry: BackboneEntry | null): MemberLayout['normalise'] {
  if (!entry) return null;
  // The same test as backbone.ts: a model that wants 0..1 gets no extra pass.
  const multiply = 255 * entry.descriptor.preprocessing.scale;
  const add = entry.descriptor.preprocessing.offset;
  return Math.abs(multiply - 1) < 1e-9 && add === 0 ? null : { multiply, add };
}

/** Composes a layers backbone's feature model (its plain, unfolded layers) with the head. */
async function composeWithHead(entry: BackboneEntry, head: tf.LayersModel, dir: string): Promise<void> {
  const base = await loadLayersModelFromFolder(entry.dir);
  try {
    const features = featureModelOf(base, entry.descriptor.featureLayer, path.join(entry.dir, 'model.json'));
    let x = features.outputs[0]!;
    // The head is a chain (head.ts): apply its layers after its input, sharing their weights.
    for (const layer of head.layers.slice(1)) x = layer.apply(x) as tf.SymbolicTensor;
    const composed = tf.model({ inputs: features.inputs, outputs: x, name: 'holdout_export' });
    await writeLayersModel(composed, dir);
  } finally {
    base.dispose();
  }
}

/**
 * @param root the export folder; @param rel where this member's model goes (e.g. "model").
 */
export async function writeMember(root: string, rel: string, member: ExportMember, projectDir: string, name: string): Promise<MemberLayout> {
  const { state } = member;
  const entry = state.input.backboneId ? findBackbone(projectDir, state.input.backboneId) : null;
  const layout: MemberLayout = {
    name,
    runId: member.run.id,
    modelKind: state.modelKind,
    checkpointEpoch: member.checkpoint.epoch,
    input: { size: state.input.size, channels: state.input.channels, fit: state.input.resize },
    normalise: normaliseOf(entry),
    stages: [],
    customLayers: null,
  };
  const modelDir = path.join(root, ...rel.split('/'));
  if (state.modelKind === 'frozen-head' && entry) {
    if (entry.descriptor.format === 'graph') {
      const backboneRel = `backbones/${entry.descriptor.id}`;
      copyBackbone(entry, path.join(root, ...backboneRel.split('/')));
      await writeLayersModel(member.model, modelDir);
      layout.stages.push({ type: 'graph', path: `${backboneRel}/model.json`, outputNode: entry.descriptor.featureLayer, pool: 'mean over height and width' });
    } else {
      await composeWithHead(entry, member.model, modelDir);
    }
  } else {
    await writeLayersModel(member.model, modelDir);
  }
  layout.stages.push({ type: 'layers', path: `${rel}/model.json` });
  layout.customLayers = customLayersOf(path.join(modelDir, 'model.json'));
  return layout;
}

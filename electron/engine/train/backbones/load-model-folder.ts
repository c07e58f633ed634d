// Loads a TensorFlow.js model folder (model.json + weight shards) from disk in plain
// Node. tfjs' own file:// handler lives in tfjs-node, which cannot be installed
// everywhere, so we read the files ourselves, check every shard against the manifest
// (a truncated download must fail here, naming the file, not later as a shape error
// deep inside TF.js), and hand the bytes to tf.io.fromMemory.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ApiError } from '../../../api/errors.js';
import { groupBytes, modelFormat, parseModelJson, type ModelFormat, type ModelJson } from './model-json.js';

export interface ModelFolder {
  dir: string;
  format: ModelFormat;
  json: ModelJson;
  artifacts: tf.io.ModelArtifacts;
}

/** Reads and checks model.json and every shard it lists; loads nothing into TF.js yet. */
export function readModelFolder(dir: string): ModelFolder {
  const file = path.join(dir, 'model.json');
  let text: string;
  try {
    assertRegularFile(file, 'model.json');
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof ApiError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new ApiError('not_found', `${dir} is not a TensorFlow.js model folder: it has no model.json`, 'folder');
    }
    throw new ApiError('io_error', `cannot read ${file}: ${(err as Error).message}`, 'folder');
  }
  const json = parseModelJson(text, file);
  const format = modelFormat(json, file);
  const buffers: Buffer[] = [];
  for (const group of json.weightsManifest) {
    const shards = group.paths.map((p) => readShard(path.join(dir, p)));
    checkGroupBytes(group.paths.map((p) => path.join(dir, p)), shards, groupBytes(group), file);
    buffers.push(...shards);
  }
  const all = Buffer.concat(buffers);
  // A copy, not a view: Buffer.concat may return a slice of Node's shared pool.
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
    format: json.format ?? (format === 'graph' ? 'graph-model' : 'layers-model'),
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData,
  };
  if (json.generatedBy) artifacts.generatedBy = json.generatedBy;
  if (json.convertedBy) artifacts.convertedBy = json.convertedBy;
  if (json.signature) artifacts.signature = json.signature as object;
  if (json.userDefinedMetadata) artifacts.userDefinedMetadata = json.userDefinedMetadata as Record<string, object>;
  if (json.modelInitializer) artifacts.modelInitializer = json.modelInitializer as object;
  if (json.initializerSignature) artifacts.initializerSignature = json.initializerSignature as object;
  if (json.trainingConfig) artifacts.trainingConfig = json.trainingConfig as tf.io.TrainingConfig;
  return { dir, format, json, artifacts };
}

/**
 * readFileSync on a device or pipe reads until it ends: /dev/zero (a link in a model
 * folder pointing there) never does, and would fill memory. Only regular files are read.
 */
function assertRegularFile(file: string, what: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return; // Missing or unreadable: the read that follows names it.
  }
  if (!st.isFile()) {
    const kind = st.isDirectory() ? 'a folder' : 'not a regular file (a device, pipe or socket)';
    throw new ApiError('invalid_request', `${what} ${file} is ${kind}`, 'folder');
  }
}

function readShard(file: string): Buffer {
  try {
    assertRegularFile(file, 'weight file');
    return fs.readFileSync(file);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ApiError('not_found', `weight file ${file} is missing: model.json lists it in its weightsManifest`, 'folder');
    }
    throw new ApiError('io_error', `cannot read weight file ${file}: ${(err as Error).message}`, 'folder');
  }
}

/**
 * The shards of one group, concatenated, must hold exactly the bytes its weights
 * need. To name the damaged file we use how the converter shards: every shard but
 * the last has the same (largest) size, so a shard before the last that is smaller
 * than the largest is the short one; otherwise the last shard is.
 */
function checkGroupBytes(files: string[], shards: Buffer[], need: number | undefined, modelFile: string): void {
  if (need === undefined) return;
  const have = shards.reduce((a, b) => a + b.length, 0);
  if (have === need) return;
  const largest = Math.max(...shards.map((s) => s.length));
  let culprit = files.length - 1;
  for (let i = 0; i < shards.length - 1; i++) {
    if (shards[i]!.length < largest) {
      culprit = i;
      break;
    }
  }
  const which = files[culprit] ?? modelFile;
  const what = have < need ? 'truncated' : 'longer than expected';
  throw new ApiError(
    'invalid_request',
    `weight file ${which} looks ${what}: the shards ${files.map((f) => path.basename(f)).join(', ')} hold ${have} bytes, ` +
      `but ${path.basename(modelFile)} describes weights of ${need} bytes`,
    'folder',
  );
}

/** Loads a layers-format folder into a tf.LayersModel. */
export async function loadLayersModelFromFolder(dir: string, folder = readModelFolder(dir)): Promise<tf.LayersModel> {
  if (folder.format !== 'layers') {
    throw new ApiError('invalid_request', `${path.join(dir, 'model.json')} is a graph model, not a layers model`, 'folder');
  }
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(folder.artifacts));
  } catch (err) {
    throw new ApiError('invalid_request', `${path.join(dir, 'model.json')} could not be loaded as a layers model: ${(err as Error).message}`, 'folder');
  }
}

/** Loads a graph-format folder into a tf.GraphModel. */
export async function loadGraphModelFromFolder(dir: string, folder = readModelFolder(dir)): Promise<tf.GraphModel> {
  if (folder.format !== 'graph') {
    throw new ApiError('invalid_request', `${path.join(dir, 'model.json')} is a layers model, not a graph model`, 'folder');
  }
  try {
    return await tf.loadGraphModel(tf.io.fromMemory(folder.artifacts));
  } catch (err) {
    throw new ApiError('invalid_request', `${path.join(dir, 'model.json')} could not be loaded as a graph model: ${(err as Error).message}`, 'folder');
  }
}

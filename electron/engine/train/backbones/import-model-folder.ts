// Makes any TensorFlow.js model folder (layers or graph) a backbone: checks every file,
// settles the input size and the feature layer, runs one blank image through it to
// learn the feature width (and to find out now, not mid-training, if it cannot run
// here), then copies it with its backbone.json into the destination folder at once.
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../api/errors.js';
import { writeFolderAtomic } from './atomic-folder.js';
import { probeFeatureDim, type FeatureExtractor } from './backbone.js';
import { DESCRIPTOR_FILE, parseDescriptor, type BackboneDescriptor, type BackboneEntry } from './descriptor.js';
import { graphFeatureExtractor } from './graph-backbone.js';
import { inspectModelFolder } from './inspect-model.js';
import { layersFeatureExtractor } from './layers-backbone.js';
import { readModelFolder } from './load-model-folder.js';

export interface ImportOptions {
  /** Defaults to the destination folder's name. */
  id?: string;
  /** Defaults to the source folder's name. */
  name?: string;
  /** Defaults to the suggested layer (see inspect-model.ts). */
  featureLayer?: string;
  /** Needed only when the model accepts any input size. */
  inputSize?: number;
  /** What the model expects from pixels 0..255; defaults to 0..1 (scale 1/255, offset 0). */
  preprocessing?: { scale: number; offset: number };
  resize?: 'stretch' | 'crop';
  licence?: string;
  source?: BackboneDescriptor['source'];
}

export async function importModelFolder(sourceDir: string, destination: string, options: ImportOptions = {}): Promise<BackboneEntry> {
  const folder = readModelFolder(sourceDir);
  const info = await inspectModelFolder(sourceDir, folder);
  const featureLayer = options.featureLayer ?? info.suggested;
  if (info.format === 'layers' && !info.candidates.some((c) => c.name === featureLayer)) {
    const suggestions = info.candidates.slice(-6).map((c) => c.name);
    throw new ApiError(
      'invalid_request',
      `feature layer "${featureLayer}" is not a layer of ${path.join(sourceDir, 'model.json')} with a 2-D or 4-D output; for example: ${suggestions.join(', ')}`,
      'featureLayer',
    );
  }
  const inputSize = settleInputSize(info.inputSize, info.inputShape, options.inputSize);
  const channels = info.channels ?? 3;
  if (channels !== 1 && channels !== 3) {
    throw new ApiError('invalid_request', `the model takes ${channels}-channel images; a backbone takes 1 (grey) or 3 (colour)`, 'folder');
  }
  const extractor: FeatureExtractor =
    folder.format === 'layers' ? await layersFeatureExtractor(folder, featureLayer) : await graphFeatureExtractor(folder, featureLayer);
  let featureDim: number;
  try {
    featureDim = probeFeatureDim(extractor, { inputSize, channels });
  } finally {
    extractor.dispose();
  }
  const descriptor = parseDescriptor(
    {
      id: options.id ?? path.basename(destination).toLowerCase(),
      name: options.name ?? path.basename(path.resolve(sourceDir)),
      source: options.source ?? { folder: path.resolve(sourceDir) },
      ...(options.licence ? { licence: options.licence } : {}),
      format: folder.format,
      inputSize,
      channels,
      preprocessing: options.preprocessing ?? { scale: 1 / 255, offset: 0 },
      resize: options.resize ?? 'stretch',
      featureLayer,
      featureDim,
    },
    'import options',
  );
  const files = [{ name: 'model.json', data: fs.readFileSync(path.join(sourceDir, 'model.json')) }];
  for (const p of folder.json.weightsManifest.flatMap((g) => g.paths)) files.push({ name: p, data: fs.readFileSync(path.join(sourceDir, p)) });
  descriptor.files = Object.fromEntries(files.map((f) => [f.name, f.data.byteLength]));
  writeFolderAtomic(destination, [...files, { name: DESCRIPTOR_FILE, data: JSON.stringify(descriptor, null, 2) + '\n' }]);
  return { dir: destination, descriptor };
}

function settleInputSize(declared: number | null, shape: [number | null, number | null], requested: number | undefined): number {
  const [h, w] = shape;
  if (h !== null && w !== null && h !== w) {
    throw new ApiError('invalid_request', `the model takes ${h}×${w} images; Holdout's backbones take square images`, 'folder');
  }
  if (declared !== null) {
    if (requested !== undefined && requested !== declared) {
      throw new ApiError('invalid_request', `inputSize ${requested} does not match the model's fixed input of ${declared}×${declared}`, 'inputSize');
    }
    return declared;
  }
  if (requested === undefined) {
    throw new ApiError('invalid_request', 'the model accepts any image size: give inputSize (224 suits most ImageNet models)', 'inputSize');
  }
  if (!Number.isInteger(requested) || requested < 8 || requested > 2048) {
    throw new ApiError('invalid_request', `inputSize must be a whole number from 8 to 2048, got ${requested}`, 'inputSize');
  }
  return requested;
}

// Re-exported so a UI can show the choices before importing.
export { inspectModelFolder } from './inspect-model.js';
export type { ModelInspection, FeatureCandidate } from './inspect-model.js';

// The backbones that ship with the app: every resources/models/<id>/backbone.json.
// Development and tests find resources/ beside package.json; a packaged app keeps
// resources outside its asar archive and says where through HOLDOUT_RESOURCES_DIR.
import path from 'node:path';
import { ApiError } from '../../../api/errors.js';
import { packageInfo } from '../../util/package-info.js';
import { listBackboneFolders, type BackboneEntry } from './descriptor.js';

/**
 * Chosen by bench/backbones.ts (numbers in resources/models/README.md): on a
 * Fashion-MNIST probe the graph-format MobileNetV2 ×1.4 gave 83 % against 80 % for
 * the layers MobileNetV2, and ran faster on wasm (its convolutions, batch-norms and
 * ReLU6 are fused: ~22 against ~16 images/s), for 1.7 MB more. InceptionV3 is 7×
 * slower and 5× larger.
 */
export const defaultBackboneId = 'nsfwjs-mobilenet-v2-mid';

/** Graph models are frozen; fine-tuning needs a layers model, and this is the bundled one. */
export const defaultFineTuneBackboneId = 'nsfwjs-mobilenet-v2';

export function resourcesDir(): string {
  const override = process.env['HOLDOUT_RESOURCES_DIR'];
  return override && override.length > 0 ? path.resolve(override) : path.join(packageInfo().root, 'resources');
}

export function bundledModelsDir(): string {
  return path.join(resourcesDir(), 'models');
}

/** Every bundled backbone, sorted by id. A folder without backbone.json is not one. */
export function listBundledBackbones(): BackboneEntry[] {
  return listBackboneFolders(bundledModelsDir());
}

export function bundledBackbone(id: string = defaultBackboneId): BackboneEntry {
  const all = listBundledBackbones();
  const found = all.find((b) => b.descriptor.id === id);
  if (found) return found;
  if (all.length === 0) {
    throw new ApiError(
      'not_found',
      `no bundled backbones in ${bundledModelsDir()}: the install did not copy them (run \`node scripts/copy-models.mjs\`)`,
      'backbone',
    );
  }
  throw new ApiError('not_found', `there is no bundled backbone "${id}"; there are: ${all.map((b) => b.descriptor.id).join(', ')}`, 'backbone');
}

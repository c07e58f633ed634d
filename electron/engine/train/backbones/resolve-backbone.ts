// Finds a backbone by id: first among those imported or downloaded into the project
// (<project>/backbones/<id>/, so a project folder carries the models its runs used),
// then among the bundled ones. No id means the bundled default for the purpose:
// frozen features take the fastest accurate model, fine-tuning needs a layers model.
import path from 'node:path';
import { ApiError } from '../../../api/errors.js';
import { loadBackbone, type Backbone } from './backbone.js';
import { bundledBackbone, defaultBackboneId, defaultFineTuneBackboneId, listBundledBackbones } from './bundled.js';
import { listBackboneFolders, type BackboneEntry } from './descriptor.js';

export function projectBackbonesDir(projectDir: string): string {
  return path.join(projectDir, 'backbones');
}

/** Backbones imported or downloaded into the project, sorted by id. */
export function listProjectBackbones(projectDir: string): BackboneEntry[] {
  return listBackboneFolders(projectBackbonesDir(projectDir));
}

/** Every backbone a project can use: its own first, then the bundled ones. */
export function listBackbones(projectDir: string | null): BackboneEntry[] {
  return [...(projectDir ? listProjectBackbones(projectDir) : []), ...listBundledBackbones()];
}

export function findBackbone(projectDir: string | null, id: string = defaultBackboneId): BackboneEntry {
  const own = projectDir ? listProjectBackbones(projectDir).find((b) => b.descriptor.id === id) : undefined;
  if (own) return own;
  try {
    return bundledBackbone(id);
  } catch (err) {
    if (!(err instanceof ApiError) || !projectDir) throw err;
    const known = listBackbones(projectDir).map((b) => b.descriptor.id);
    throw new ApiError('not_found', `there is no backbone "${id}"; this project can use: ${known.join(', ') || 'none'}`, 'backbone');
  }
}

export type BackbonePurpose = 'features' | 'fine-tune';

export function defaultBackboneFor(purpose: BackbonePurpose): string {
  return purpose === 'fine-tune' ? defaultFineTuneBackboneId : defaultBackboneId;
}

export async function resolveBackbone(projectDir: string | null, id?: string, purpose: BackbonePurpose = 'features'): Promise<Backbone> {
  const entry = findBackbone(projectDir, id ?? defaultBackboneFor(purpose));
  if (purpose === 'fine-tune' && entry.descriptor.format !== 'layers') {
    throw new ApiError(
      'invalid_request',
      `backbone "${entry.descriptor.id}" is a graph model: it gives frozen features but cannot be fine-tuned; choose a layers model such as "${defaultFineTuneBackboneId}"`,
      'backbone',
    );
  }
  return loadBackbone(entry, { inferenceOnly: purpose === 'features' });
}

// backbone.json: what a model folder needs beside its weights to serve as a backbone —
// the input it expects and where its features are. Written by scripts/copy-models.mjs
// for the bundled models, by the importer and by the downloader; read here.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ApiError, fromZodError } from '../../../api/errors.js';

export const DESCRIPTOR_FILE = 'backbone.json';

export const backboneDescriptorSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lower-case letters, digits, ".", "_" or "-", at most 64'),
  name: z.string().min(1).max(200),
  source: z
    .object({
      package: z.string().optional(),
      version: z.string().optional(),
      path: z.string().optional(),
      homepage: z.string().optional(),
      url: z.string().optional(),
      folder: z.string().optional(),
    })
    .optional(),
  licence: z.string().optional(),
  format: z.enum(['layers', 'graph']),
  inputSize: z.number().int().min(8).max(2048),
  channels: z.union([z.literal(1), z.literal(3)]),
  /** The model's input is pixel·scale + offset for pixel values 0..255. */
  preprocessing: z.object({ scale: z.number().positive().finite(), offset: z.number().finite() }),
  /** How an image becomes inputSize × inputSize: stretched whole, or centre-cropped to a square first. */
  resize: z.enum(['stretch', 'crop']),
  /** A layer name (layers models) or a node name (graph models). */
  featureLayer: z.string().min(1),
  featureDim: z.number().int().positive(),
  /** Sizes of the folder's files, for a quick "is this install intact" check. */
  files: z.record(z.string(), z.number().int().nonnegative()).optional(),
});

export type BackboneDescriptor = z.infer<typeof backboneDescriptorSchema>;

/** A descriptor together with the folder its model files are in. */
export interface BackboneEntry {
  dir: string;
  descriptor: BackboneDescriptor;
}

export function parseDescriptor(value: unknown, file: string): BackboneDescriptor {
  const result = backboneDescriptorSchema.safeParse(value);
  if (!result.success) throw fromZodError(result.error, file);
  return result.data;
}

export function readDescriptor(dir: string): BackboneDescriptor {
  const file = path.join(dir, DESCRIPTOR_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ApiError('not_found', `${dir} has no ${DESCRIPTOR_FILE}: it is a model folder, not an imported backbone`, 'folder');
    }
    throw new ApiError('io_error', `cannot read ${file}: ${(err as Error).message}`, 'folder');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ApiError('invalid_request', `${file} is not valid JSON (${(err as Error).message})`, 'folder');
  }
  return parseDescriptor(value, file);
}

/** Every sub-folder of `root` that holds a backbone.json, sorted by id; none when `root` is absent. */
export function listBackboneFolders(root: string): BackboneEntry[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && fs.existsSync(path.join(root, e.name, DESCRIPTOR_FILE)))
    .map((e) => ({ dir: path.join(root, e.name), descriptor: readDescriptor(path.join(root, e.name)) }))
    .sort((a, b) => a.descriptor.id.localeCompare(b.descriptor.id));
}

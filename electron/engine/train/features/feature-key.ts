// What a cached feature vector depends on besides the image's bytes. Every field that
// changes the numbers is part of the key, and the key's hash names the cache folder: a
// changed key reads a different (possibly empty) folder, never stale features.
import { createHash } from 'node:crypto';
import { ApiError } from '../../../api/errors.js';
import { canonicalJson } from './canonical-json.js';

/** Bumped when the file layout changes: every older cache then misses. */
export const FEATURE_CACHE_FORMAT = 1;

export interface FeatureCacheKey {
  /** The backbone's id. */
  backboneId: string;
  /** Its version or weights hash when known: a new version must not read the old one's features. */
  backboneVersion?: string | null;
  /** The layer (or graph node) the features come from, when not the backbone's default. */
  featureLayer?: string | null;
  /** Length of one feature vector: a stored vector of another length is not used. */
  featureDim: number;
  /** Side of the square image the backbone is fed. */
  inputSize: number;
  /** How an image becomes inputSize × inputSize (and any preprocessing before the backbone). */
  resize: string;
  channels?: number | null;
  /** 0: the image as it is; 1…K: augmented copies. */
  view: number;
  /** The augmentation parameters (any JSON) of views ≥ 1; null for view 0. */
  augmentation: unknown;
  /** The seed the augmented views are drawn from, when it is not derived from the view alone. */
  viewSeed?: number | null;
}

/** The key as stored in key.json and hashed: defaults dropped, the format version added. */
export function normalizedKey(key: FeatureCacheKey): Record<string, unknown> {
  const bad = (field: string, why: string): never => {
    throw new ApiError('invalid_request', `feature cache key: ${field} ${why}`, field);
  };
  if (typeof key.backboneId !== 'string' || !key.backboneId) bad('backboneId', 'must be a non-empty text');
  if (!Number.isInteger(key.featureDim) || key.featureDim < 1) bad('featureDim', `must be a whole number ≥ 1, got ${key.featureDim}`);
  if (!Number.isInteger(key.inputSize) || key.inputSize < 1) bad('inputSize', `must be a whole number ≥ 1, got ${key.inputSize}`);
  if (typeof key.resize !== 'string' || !key.resize) bad('resize', 'must be a non-empty text');
  if (!Number.isInteger(key.view) || key.view < 0) bad('view', `must be a whole number ≥ 0, got ${key.view}`);
  const augmented = key.augmentation !== null && key.augmentation !== undefined;
  if (key.view === 0 && augmented) bad('augmentation', 'must be null for view 0 (the image without augmentation)');
  if (key.view > 0 && !augmented) bad('augmentation', `is needed for augmented view ${key.view}`);
  const out: Record<string, unknown> = { format: FEATURE_CACHE_FORMAT };
  for (const [k, v] of Object.entries(key)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

export function featureKeyHash(key: FeatureCacheKey): string {
  return createHash('sha256').update(canonicalJson(normalizedKey(key))).digest('hex');
}

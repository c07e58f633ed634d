// The cache key and image hash the concurrent-put test and its child processes share.
import type { FeatureCacheKey } from '../../../../electron/engine/train/features/feature-key.js';

export const sharedKey: FeatureCacheKey = { backboneId: 'mobilenet-v2', backboneVersion: 'nsfwjs-4.4.0', featureDim: 1280, inputSize: 224, resize: 'cover', channels: 3, view: 0, augmentation: null };
export const sharedSha = 'c0ffee'.padEnd(64, '0');

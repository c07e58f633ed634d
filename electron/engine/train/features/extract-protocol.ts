// The messages between FeatureExtractPool (extract-pool.ts) and its worker threads
// (extract-worker.ts). Pixel and feature buffers travel in the transfer list, so a
// 224×224 batch crosses threads without a copy.
import type { AugmentParams } from '../augment/augment-params.js';
import type { BackboneDescriptor } from '../backbones/descriptor.js';

export interface ExtractAugment {
  params: AugmentParams;
  seed: number;
}

/** One image of a job: its pixels (decoded by the caller) or its file (decoded in the worker). */
export type ExtractImage = {
  /** What errors name: the image's path as the user knows it. */
  name: string;
  augment: ExtractAugment | null;
} & ({ pixels: Uint8Array; file?: undefined } | { file: string | Uint8Array; pixels?: undefined });

export interface ExtractWorkerData {
  dir: string;
  descriptor: BackboneDescriptor;
  featureLayer: string;
  /** Fold batch norms of a layers backbone into its convolutions (fold-batch-norm.ts). */
  fold: boolean;
  backend: 'wasm' | 'cpu';
  /** How files the worker decodes are squared (decode-image.ts). */
  resize: 'fill' | 'cover';
}

export interface SerializedError {
  name: string;
  message: string;
  /** ApiError's code and field, so the caller gets the same error back. */
  code?: string;
  field?: string;
  /** The image the error is about, when there is one. */
  file?: string;
}

export type ToWorker = { type: 'job'; id: number; images: ExtractImage[] } | { type: 'memory'; id: number };

export type FromWorker =
  | { type: 'ready'; featureDim: number; folded: number }
  | { type: 'failed'; error: SerializedError }
  | { type: 'done'; id: number; features: Float32Array }
  | { type: 'error'; id: number; error: SerializedError }
  | { type: 'memory'; id: number; numTensors: number; numBytes: number };

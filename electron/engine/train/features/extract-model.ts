// The backbone a feature worker runs: loaded once per thread, and for a layers model
// replaced by its batch-norm-folded inference copy (fold-batch-norm.ts), which gives the
// same features (within 1e-4) in fewer, fused passes. Graph models come fused from the
// converter and run as loaded.
import * as tf from '@tensorflow/tfjs';
import { loadBackbone } from '../backbones/backbone.js';
import type { BackboneEntry } from '../backbones/descriptor.js';
import { foldBatchNorm } from '../backbones/fold-batch-norm.js';
import type { FeatureFn } from './extract-batch.js';

export interface ExtractModel {
  featureDim: number;
  inputSize: number;
  channels: 1 | 3;
  /** Batch norms folded away (0 for graph models or when folding is off). */
  folded: number;
  run: FeatureFn;
  dispose(): void;
}

export async function loadExtractModel(entry: BackboneEntry, featureLayer: string, fold: boolean): Promise<ExtractModel> {
  const backbone = await loadBackbone(entry, { featureLayer });
  const base = { featureDim: backbone.featureDim, inputSize: backbone.inputSize, channels: backbone.channels };
  if (!fold || !backbone.layersModel) {
    // The first call checks the feature width against backbone.json, inside extract.
    return { ...base, folded: 0, run: (x) => backbone.extract(x), dispose: () => backbone.dispose() };
  }
  let report;
  try {
    report = await foldBatchNorm(backbone.layersModel);
  } finally {
    // The folded copy owns its weights; the loaded model is no longer needed.
    backbone.dispose();
  }
  const model = report.model;
  const width = model.outputs[0]?.shape[1];
  if (width !== backbone.featureDim) {
    model.dispose();
    throw new Error(`backbone ${entry.descriptor.id}: "${featureLayer}" gives ${String(width)} values, expected ${backbone.featureDim}`);
  }
  return {
    ...base,
    folded: report.foldedBatchNorms,
    // preprocess is pure arithmetic from backbone.json: still valid after dispose.
    run: (x) => tf.tidy(() => model.predict(backbone.preprocess(x), { batchSize: x.shape[0] || 1 }) as tf.Tensor2D),
    dispose: () => model.dispose(),
  };
}

// Features from a layers model: a new tf.model from the model's input to the chosen
// layer's output. It shares the original layers (and weights), so fine-tuning it
// changes the backbone. A 4-D output (a convolutional map) is averaged over space, as
// Keras' pooling='avg' does, so every choice gives one vector per image.
// For inference only (frozen features), the feature model is replaced by its copy with
// batch norms folded into the convolutions and ReLUs fused (fold-batch-norm.ts): same
// features within 1e-4, about twice as fast on wasm; that copy cannot be fine-tuned.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ApiError } from '../../../api/errors.js';
import type { FeatureExtractor } from './backbone.js';
import { foldBatchNorm } from './fold-batch-norm.js';
import { loadLayersModelFromFolder, type ModelFolder } from './load-model-folder.js';

export async function layersFeatureExtractor(folder: ModelFolder, featureLayer: string, inferenceOnly = false): Promise<FeatureExtractor> {
  const base = await loadLayersModelFromFolder(folder.dir, folder);
  try {
    const featureModel = featureModelOf(base, featureLayer, path.join(folder.dir, 'model.json'));
    const dim = featureModel.outputs[0]?.shape[1];
    if (inferenceOnly) {
      // The folded copy owns its weights: the loaded model goes at once.
      const { model: folded } = await foldBatchNorm(featureModel);
      base.dispose();
      return {
        featureDim: typeof dim === 'number' ? dim : undefined,
        run: (input) => folded.predict(input, { batchSize: input.shape[0] || 1 }) as tf.Tensor2D,
        dispose: () => folded.dispose(),
      };
    }
    return {
      featureDim: typeof dim === 'number' ? dim : undefined,
      run: (input) => featureModel.predict(input, { batchSize: input.shape[0] || 1 }) as tf.Tensor2D,
      layersModel: featureModel,
      // The feature model shares the base's layers: disposing the base frees every
      // weight (the head's too); disposing both throws "already disposed".
      dispose: () => {
        base.dispose();
      },
    };
  } catch (err) {
    base.dispose();
    throw err;
  }
}

export function featureModelOf(base: tf.LayersModel, featureLayer: string, modelFile: string): tf.LayersModel {
  const layer = base.layers.find((l) => l.name === featureLayer);
  if (!layer) {
    const names = base.layers.slice(-8).map((l) => l.name);
    throw new ApiError(
      'invalid_request',
      `feature layer "${featureLayer}" is not in ${modelFile}; its last layers are: ${names.join(', ')}`,
      'featureLayer',
    );
  }
  const out = layer.output;
  if (Array.isArray(out)) {
    throw new ApiError('invalid_request', `feature layer "${featureLayer}" has ${out.length} outputs; choose a layer with one`, 'featureLayer');
  }
  if (out.shape.length === 2) return tf.model({ inputs: base.inputs, outputs: out, name: `${base.name}_features` });
  if (out.shape.length === 4) {
    const pooled = tf.layers.globalAveragePooling2d({ name: `${featureLayer}_avg_pool` }).apply(out) as tf.SymbolicTensor;
    return tf.model({ inputs: base.inputs, outputs: pooled, name: `${base.name}_features` });
  }
  throw new ApiError(
    'invalid_request',
    `feature layer "${featureLayer}" gives a ${out.shape.length}-D output [${out.shape.join(', ')}]; choose one with a 2-D (vector) or 4-D (image map) output`,
    'featureLayer',
  );
}

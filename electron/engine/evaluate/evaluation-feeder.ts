// Serves the images being evaluated to a trained model exactly as training served its
// validation images: the training feeders themselves (validationBatch: the run's decode
// from CheckpointState.input, no augmentation), with the backbone's preprocessing for a
// fine-tuned model and, for a frozen-backbone head, the backbone's view-0 features read
// through the feature cache (extractFeatureTable: the same cache key as training).
import { ApiError } from '../../api/errors.js';
import { noAugmentation } from '../train/augment/augment-params.js';
import { resolveBackbone } from '../train/backbones/resolve-backbone.js';
import { PixelSource } from '../train/data/pixel-source.js';
import type { TrainingItem } from '../train/data/training-set.js';
import { extractFeatureTable } from '../train/run/extract-features.js';
import { FeatureFeeder, PixelFeeder, type Feeder } from '../train/run/feeders.js';
import type { CheckpointState } from '../train/run/run-training.js';

export interface EvaluationFeeder {
  /** Its validation side holds the evaluated items, in order; its training side is empty. */
  feeder: Feeder;
  dispose(): void;
}

export interface FeederInput {
  projectDir: string;
  state: CheckpointState;
  items: readonly TrainingItem[];
  /** Frozen-backbone runs only: features done so far (cached ones count at once). */
  onFeatures?(done: number, total: number): void;
}

export async function evaluationFeeder(input: FeederInput): Promise<EvaluationFeeder> {
  const { state, items } = input;
  const decode = { size: state.input.size, channels: state.input.channels, resize: state.input.resize };
  const numClasses = state.classes.length;
  const needsBackbone = state.modelKind === 'frozen-head' || state.modelKind === 'fine-tune';
  if (needsBackbone && !state.input.backboneId) {
    throw new ApiError('conflict', `the checkpoint of run ${state.runId} is a ${state.modelKind} model but names no backbone`, 'run');
  }

  if (state.modelKind === 'frozen-head') {
    const backbone = await resolveBackbone(input.projectDir, state.input.backboneId!, 'features');
    try {
      // View 0 only: the image itself. Augmentation is part of the key only for views ≥ 1.
      const table = await extractFeatureTable(items, 0, {
        projectDir: input.projectDir,
        backbone,
        decode,
        augmentation: noAugmentation,
        views: 0,
        onProgress: input.onFeatures ? (done, total) => input.onFeatures!(done, total) : undefined,
      });
      const none = { dim: table.dim, views: [new Float32Array(0)], labels: [] };
      return { feeder: new FeatureFeeder(none, table, numClasses), dispose: () => undefined };
    } finally {
      backbone.dispose();
    }
  }

  const backbone = state.modelKind === 'fine-tune' ? await resolveBackbone(input.projectDir, state.input.backboneId!, 'fine-tune') : null;
  const feeder = new PixelFeeder(
    new PixelSource([], decode),
    new PixelSource(items, decode),
    numClasses,
    noAugmentation,
    false,
    backbone ? (x) => backbone.preprocess(x) : undefined,
  );
  return { feeder, dispose: () => backbone?.dispose() };
}

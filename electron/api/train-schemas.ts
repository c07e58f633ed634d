// The shapes of training, run history, the augmentation preview and backbones. Kept
// apart from schemas.ts like the curation and split shapes. Imports only zod and the
// shared shapes: the training configuration itself is validated by the engine's own
// schema (engine/train/config.ts), so it crosses the contract as an object and is
// refused there, naming the field — one schema, not two that drift apart.
import { z } from 'zod';
import { Seed } from './curation-schemas.js';
import { Id } from './schemas.js';

/** A metric as it crosses JSON: NaN and ±Infinity become null on the way. */
const Metric = z.number().nullable();

export const RunStatus = z.enum(['queued', 'running', 'stopping', 'stopped', 'completed', 'failed', 'interrupted']);
export const TrainPhase = z.enum(['loading', 'decoding', 'features', 'training']);
export const ModelKind = z.enum(['frozen-head', 'fine-tune', 'small-cnn', 'small-vit']);

/** A training configuration as the engine's schema reads it (an unknown field is refused, named). */
export const TrainConfigInput = z.record(z.string(), z.unknown());

export const RunSummary = z.object({
  runId: Id,
  status: RunStatus,
  backend: z.string(),
  modelKind: z.string(),
  epochsRun: z.number().int(),
  bestEpoch: z.number().int().nullable(),
  bestValAccuracy: Metric,
  bestValLoss: Metric,
  stoppedEarly: z.boolean(),
  stopReason: z.string().nullable(),
  error: z.string().nullable(),
  seconds: z.number(),
});

/**
 * While an ensemble trains, its events carry the ensemble's runId and which member is
 * training (index from 1, of count, and the member's own run id); absent for a single run.
 */
export const EnsembleMemberTag = z.object({ index: z.number().int(), count: z.number().int(), runId: Id });

const Tagged = { runId: Id, backend: z.string(), member: EnsembleMemberTag.nullable().optional() };

/** Mirrors engine/train/run/progress.ts: every event names the backend it ran on. */
export const TrainProgress = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status'), ...Tagged, status: RunStatus, message: z.string() }),
  z.object({
    type: z.literal('phase'),
    ...Tagged,
    phase: TrainPhase,
    done: z.number().int(),
    total: z.number().int(),
    imagesPerSecond: z.number().nullable(),
  }),
  z.object({
    type: z.literal('batch'),
    ...Tagged,
    etaSeconds: z.number().nullable(),
    epoch: z.number().int(),
    batch: z.number().int(),
    batches: z.number().int(),
    loss: Metric,
    accuracy: Metric,
    imagesPerSecond: z.number().nullable(),
  }),
  z.object({
    type: z.literal('epoch'),
    ...Tagged,
    improved: z.boolean(),
    bestEpoch: z.number().int().nullable(),
    etaSeconds: z.number().nullable(),
    epoch: z.number().int(),
    trainLoss: Metric,
    trainAccuracy: Metric,
    valLoss: Metric,
    valAccuracy: Metric,
    learningRate: Metric,
    seconds: z.number().nullable(),
    imagesPerSecond: z.number().nullable(),
  }),
  z.object({ type: z.literal('end'), ...Tagged, summary: RunSummary }),
]);

/** One run in the history list. */
export const RunRow = z.object({
  id: Id,
  name: z.string(),
  kind: z.enum(['single', 'ensemble', 'member']),
  /** A member's ensemble run; null for any other run. */
  parentRunId: Id.nullable(),
  status: RunStatus,
  /** Null until the run has chosen it ('auto' is resolved from the data when training starts). */
  modelKind: z.string().nullable(),
  backend: z.string().nullable(),
  splitVersionId: Id,
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  seconds: z.number().nullable(),
  epochsRun: z.number().int(),
  bestEpoch: z.number().int().nullable(),
  bestValAccuracy: Metric,
  bestValLoss: Metric,
  stoppedEarly: z.boolean(),
  stopReason: z.string().nullable(),
  error: z.string().nullable(),
  /** The user's own words about the run ('' when none). */
  note: z.string(),
  /**
   * Images of the run's split version whose label changed after the run was created: the
   * run learned (or was validated on) their old labels. 0 when the labels are unchanged.
   */
  labelsChangedSince: z.number().int(),
});

export const EpochRow = z.object({
  epoch: z.number().int(),
  trainLoss: Metric,
  trainAccuracy: Metric,
  valLoss: Metric,
  valAccuracy: Metric,
  learningRate: Metric,
  seconds: Metric,
  imagesPerSecond: Metric,
});

export const CheckpointRow = z.object({
  kind: z.enum(['best', 'last']),
  epoch: z.number().int(),
  path: z.string(),
  valLoss: Metric,
  valAccuracy: Metric,
  bytes: z.number().int(),
  createdAt: z.string(),
});

export const BatchRow = z.object({ epoch: z.number().int(), batch: z.number().int(), loss: Metric, accuracy: Metric });

export const RunDetail = z.object({
  run: RunRow,
  config: z.record(z.string(), z.unknown()),
  epochs: z.array(EpochRow),
  checkpoints: z.array(CheckpointRow),
  /** Every n-th batch (and the newest), at most about 2,000 points for a curve. */
  batches: z.array(BatchRow),
  batchEvery: z.number().int(),
});

/** Mirrors engine/train/coach/coach-types.ts: what the coach says about a run, in plain words. */
export const CoachSetting = z.enum([
  'augmentation',
  'dropout',
  'weightDecay',
  'modelKind',
  'earlyStopping.enabled',
  'earlyStopping.patience',
  'learningRate',
  'epochs',
]);

export const CoachFinding = z.object({
  id: z.string(),
  severity: z.enum(['info', 'warning']),
  title: z.string(),
  detail: z.string(),
  /** Each names the training setting that applies it (null: no setting does, e.g. more data). */
  suggestions: z.array(z.object({ text: z.string(), setting: CoachSetting.nullable(), value: z.union([z.string(), z.number(), z.boolean()]).optional() })),
});

export const TrainDefaults = z.object({
  /** What 'auto' chooses for this data. */
  modelKind: ModelKind,
  inputSize: z.number().int(),
  channels: z.union([z.literal(1), z.literal(3)]),
  /** The choice in plain words: "small greyscale images: a small CNN trained from scratch". */
  reason: z.string(),
  /** The backbone a transfer-learning run would use (null for a model trained from scratch). */
  backboneId: z.string().nullable(),
  backboneName: z.string().nullable(),
  classes: z.array(z.object({ name: z.string(), train: z.number().int(), validation: z.number().int() })),
  splitVersion: Id,
  /** Labeled images of the split left out: unlabeled or excluded since. */
  skipped: z.object({ unlabeled: z.number().int(), excluded: z.number().int() }),
  /** Every setting's default, as the engine parses an empty configuration. */
  configDefaults: z.record(z.string(), z.unknown()),
});

export const BackboneInfo = z.object({
  id: z.string(),
  name: z.string(),
  format: z.enum(['layers', 'graph']),
  inputSize: z.number().int(),
  featureDim: z.number().int(),
  licence: z.string().nullable(),
  source: z.record(z.string(), z.string()).nullable(),
  /** Shipped with the app (true) or imported/downloaded into this project (false). */
  bundled: z.boolean(),
});

export const FeatureCandidate = z.object({
  name: z.string(),
  kind: z.string(),
  shape: z.array(z.number().nullable()).nullable(),
});

export const ModelInspection = z.object({
  format: z.enum(['layers', 'graph']),
  inputSize: z.number().int().nullable(),
  channels: z.number().int().nullable(),
  candidates: z.array(FeatureCandidate),
  suggested: z.string(),
});

export const CatalogEntry = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  homepage: z.string(),
  licence: z.string(),
  format: z.enum(['layers', 'graph']),
  inputSize: z.number().int(),
  featureDim: z.number().int(),
  approxMegabytes: z.number(),
  /** Already downloaded into this project. */
  installed: z.boolean(),
});

export const BackboneProgress = z.object({
  id: z.string(),
  file: z.string(),
  fileIndex: z.number().int(),
  fileCount: z.number().int().nullable(),
  bytes: z.number().int(),
  totalBytes: z.number().int().nullable(),
});

export const AugmentPreviewRequest = z
  .object({
    imageId: Id,
    /** Strengths as in a training configuration; a field left out takes its default. */
    augmentation: z.union([z.literal('default'), z.literal('none'), z.record(z.string(), z.unknown())]).default('default'),
    count: z.number().int().min(1, 'count is 1 to 16').max(16, 'count is 1 to 16').default(8),
    /** Absent: a new seed is drawn and reported ("show others"). */
    seed: Seed.optional(),
  })
  .strict();

export const AugmentPreview = z.object({
  seed: Seed,
  /** PNG data URLs, 128 px square; the first is the image unaugmented. */
  images: z.array(z.string()),
});

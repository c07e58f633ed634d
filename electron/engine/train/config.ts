// The training configuration: every setting a run can have, its range and default.
// One schema serves the CLI's --config file, the API and the run record, so an
// unknown field or an out-of-range value is refused the same way everywhere, naming
// the field. Defaults are the practice the app teaches (AdamW with decay, dropout,
// augmentation, early stopping); the model kind 'auto' is resolved from the data
// by choose-defaults.ts.
import { z } from 'zod';
import { fromZodError } from '../../api/errors.js';
import { augmentParamsSchema, defaultAugmentation, noAugmentation, type AugmentParams } from './augment/augment-params.js';

export const MODEL_KINDS = ['auto', 'frozen-head', 'fine-tune', 'small-cnn', 'small-vit'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];
export type ResolvedModelKind = Exclude<ModelKind, 'auto'>;

/**
 * Augmentation in a configuration: 'default', 'none', or strengths, where a field left
 * out takes its default (so `{"rotation": 0}` means "the defaults without rotation").
 */
export const augmentationSchema = z.strictObject(
  Object.fromEntries(
    Object.entries(augmentParamsSchema.shape).map(([k, v]) => [k, (v as z.ZodType).default(defaultAugmentation[k as keyof AugmentParams])]),
  ) as { [K in keyof AugmentParams]: z.ZodDefault<(typeof augmentParamsSchema.shape)[K]> },
);
export type AugmentationConfig = AugmentParams;

export const earlyStoppingSchema = z.strictObject({
  enabled: z.boolean().default(true),
  monitor: z.enum(['val_loss', 'val_accuracy']).default('val_loss'),
  /** A change smaller than this is no improvement (Keras `min_delta`). */
  minDelta: z.number().min(0).max(1).default(0.001),
  /** Validations without improvement before stopping (Keras `patience`). */
  patience: z.number().int().min(0).max(1000).default(5),
  /** Epochs before this one are not judged (Keras `start_from_epoch`). */
  startFromEpoch: z.number().int().min(0).max(1000).default(0),
});

export const trainConfigSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  /** The split version to train on; the newest when absent. */
  splitVersion: z.number().int().positive().optional(),
  modelKind: z.enum(MODEL_KINDS).default('auto'),
  /** Backbone id for 'frozen-head' and 'fine-tune'; the bundled default when absent. */
  backbone: z.string().min(1).max(200).optional(),
  /** Side of the square input in pixels; chosen from the data when absent. */
  inputSize: z.number().int().min(8).max(512).optional(),
  /** How images become squares: stretch ('fill') keeps all content; 'cover' crops the centre. */
  resize: z.enum(['fill', 'cover']).default('fill'),
  hiddenUnits: z.number().int().min(0).max(4096).default(256),
  dropout: z.number().min(0).max(0.9).default(0.3),
  /** Backbone blocks trained when fine-tuning (the top ones). */
  fineTuneBlocks: z.number().int().min(1).max(50).default(2),
  augmentation: z.union([z.literal('default'), z.literal('none'), augmentationSchema]).default('default'),
  /** With a frozen backbone: augmented views per image whose features are cached (view 0 is the original). */
  augmentViews: z.number().int().min(0).max(32).default(4),
  optimizer: z.enum(['adamw', 'adam', 'sgd']).default('adamw'),
  learningRate: z.number().positive().max(10).optional(),
  /** Decoupled weight decay (AdamW, SGD); never applied to biases or normalisation parameters. */
  weightDecay: z.number().min(0).max(1).default(0.01),
  momentum: z.number().min(0).max(0.999).default(0.9),
  batchSize: z.number().int().min(1).max(1024).default(32),
  epochs: z.number().int().min(1).max(10_000).default(30),
  /** Validate every N epochs; early stopping and checkpoints follow validations. */
  validateEvery: z.number().int().min(1).max(1000).default(1),
  earlyStopping: earlyStoppingSchema.prefault({}),
  seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
  /**
   * Models trained (one after another) and averaged; above 1 the run is an ensemble whose
   * members differ in seed, hence in initialisation and augmentation draws.
   */
  ensembleSize: z.number().int().min(1).max(10).default(1),
  /**
   * The backbones an ensemble's members take in turn (member i the (i mod n)-th), so the
   * average is over models that saw different features, which is where an ensemble gains
   * most. Transfer learning only; absent, every member uses `backbone`.
   */
  ensembleBackbones: z.array(z.string().min(1).max(200)).min(1).max(10).optional(),
  backend: z.enum(['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).default('auto'),
});

export type TrainConfigInput = z.input<typeof trainConfigSchema>;
export type TrainConfig = z.output<typeof trainConfigSchema>;

/** Parses a configuration, naming the first bad field in the error. */
export function parseTrainConfig(input: unknown, what = 'training configuration'): TrainConfig {
  const parsed = trainConfigSchema.safeParse(input ?? {});
  if (!parsed.success) throw fromZodError(parsed.error, what);
  return parsed.data;
}

export function augmentationOf(config: TrainConfig): AugmentationConfig {
  if (config.augmentation === 'none') return noAugmentation;
  if (config.augmentation === 'default') return defaultAugmentation;
  return config.augmentation;
}

/** Learning rates that work for each model kind when the user sets none. */
export function defaultLearningRate(kind: ResolvedModelKind, optimizer: TrainConfig['optimizer']): number {
  if (optimizer === 'sgd') return kind === 'fine-tune' ? 0.005 : 0.01;
  return kind === 'fine-tune' ? 1e-4 : 1e-3;
}

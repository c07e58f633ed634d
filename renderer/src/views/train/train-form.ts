// The Train screen's short form: its fields, their defaults (taken from the engine's own
// defaults, so the form never disagrees with a run started without it), a one-line
// explanation of each, and the configuration it sends. The engine validates the
// configuration and names a bad field; the form shows that message under the field.
import type { Response } from '../../../../electron/api/contract.js';

export type TrainDefaultsView = Response<'train.defaults'>;

export type FormModelKind = 'auto' | 'small-cnn' | 'small-vit' | 'frozen-head' | 'fine-tune';

export interface TrainForm {
  modelKind: FormModelKind;
  epochs: number | null;
  batchSize: number | null;
  /** Blank (null): chosen for the model kind. */
  learningRate: number | null;
  dropout: number | null;
  weightDecay: number | null;
  augmentation: boolean;
  patience: number | null;
}

export const FORM_FIELDS = ['modelKind', 'epochs', 'batchSize', 'learningRate', 'dropout', 'weightDecay', 'augmentation', 'patience'] as const;

export const MODEL_CHOICES: readonly { id: FormModelKind; label: string }[] = [
  { id: 'auto', label: 'Automatic (suggested for your data)' },
  { id: 'small-cnn', label: 'Small CNN, trained from scratch' },
  { id: 'small-vit', label: 'Small Vision Transformer, trained from scratch' },
  { id: 'frozen-head', label: 'Transfer learning: pretrained features + a small head' },
  { id: 'fine-tune', label: 'Transfer learning: fine-tune the top of the backbone' },
];

/** One line per field: what it does, in plain words. */
export const EXPLAIN: Record<(typeof FORM_FIELDS)[number], string> = {
  modelKind: 'What learns from your images. Automatic picks from their size and colour.',
  epochs: 'How many times training goes through all training images. Early stopping may end it sooner.',
  batchSize: 'Images looked at per step. Larger runs faster per image but needs more memory.',
  learningRate: 'How big each learning step is. Leave blank to use the usual value for the model.',
  dropout: 'Share of the network switched off at random while training, so it cannot lean on a few details.',
  weightDecay: 'Gently pulls weights towards zero (AdamW), which discourages memorising the training images.',
  augmentation: 'Random flips, turns, crops and colour shifts, so the network never sees the same picture twice.',
  patience: 'Stop after this many epochs without improvement on the validation images, keeping the best epoch.',
};

const MODEL_WORDS: Record<string, string> = {
  'small-cnn': 'a small CNN trained from scratch',
  'small-vit': 'a small Vision Transformer trained from scratch',
  'frozen-head': 'transfer learning from a pretrained backbone',
  'fine-tune': 'fine-tuning a pretrained backbone',
};

/** "small-cnn" -> "a small CNN trained from scratch"; unknown kinds as they are. */
export function modelWords(kind: string | null): string {
  if (kind === null) return 'chosen from the data';
  return MODEL_WORDS[kind] ?? kind;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The form as the engine's defaults fill it. */
export function formFromDefaults(defaults: TrainDefaultsView['configDefaults'] | null): TrainForm {
  const d = defaults ?? {};
  const early = (d.earlyStopping ?? {}) as Record<string, unknown>;
  return {
    modelKind: 'auto',
    epochs: num(d.epochs) ?? 30,
    batchSize: num(d.batchSize) ?? 32,
    learningRate: num(d.learningRate),
    dropout: num(d.dropout) ?? 0.3,
    weightDecay: num(d.weightDecay) ?? 0.01,
    augmentation: d.augmentation !== 'none',
    patience: num(early.patience) ?? 5,
  };
}

/**
 * The configuration to send. A field left empty is sent as null so the engine refuses it
 * by name (except the learning rate, where empty means automatic).
 */
export function configFromForm(form: TrainForm): Record<string, unknown> {
  const config: Record<string, unknown> = {
    modelKind: form.modelKind,
    epochs: form.epochs,
    batchSize: form.batchSize,
    dropout: form.dropout,
    weightDecay: form.weightDecay,
    augmentation: form.augmentation ? 'default' : 'none',
    earlyStopping: { patience: form.patience },
  };
  if (form.learningRate !== null && form.learningRate !== undefined) config.learningRate = form.learningRate;
  return config;
}

/** An engine field ("earlyStopping.patience") as the form field that sets it. */
export function formFieldOf(field: string | undefined): string | undefined {
  if (field === 'earlyStopping.patience') return 'patience';
  return field;
}

// The Train screen's form: every setting of train-settings.ts as one flat object, filled
// from the engine's own defaults (so the form never disagrees with a run started without
// it), checked against the schema's ranges before it is sent, and turned into a
// configuration that carries ONLY what the user changed: an untouched setting stays the
// engine's default, so a run records what was chosen and what was left alone.
import type { Response } from '../../../../electron/api/contract.js';
import { AUGMENT_KEYS, EARLY_KEYS, SETTINGS, settingAt, settingOf, type FormModelKind, type NumberSetting, type Setting, type SettingKey } from './train-settings.js';

export { MODEL_CHOICES, type FormModelKind } from './train-settings.js';

export type TrainDefaultsView = Response<'train.defaults'>;

/** A number input's value: Svelte gives undefined (or null) for an empty box. */
export type FormNumber = number | null | undefined;

export interface TrainForm {
  modelKind: FormModelKind;
  epochs: FormNumber;
  augmentation: boolean;
  /** '' = the bundled default. */
  backbone: string;
  fineTuneBlocks: FormNumber;
  hiddenUnits: FormNumber;
  inputSize: FormNumber;
  resize: string;
  flip: boolean;
  rotation: FormNumber;
  scale: FormNumber;
  crop: FormNumber;
  brightness: FormNumber;
  saturation: FormNumber;
  hue: FormNumber;
  greyscale: FormNumber;
  augmentViews: FormNumber;
  dropout: FormNumber;
  weightDecay: FormNumber;
  optimizer: string;
  learningRate: FormNumber;
  momentum: FormNumber;
  batchSize: FormNumber;
  earlyStop: boolean;
  monitor: string;
  patience: FormNumber;
  minDelta: FormNumber;
  startFromEpoch: FormNumber;
  validateEvery: FormNumber;
  name: string;
  seed: FormNumber;
  /** Above 1: an ensemble of that many models, averaged. */
  ensembleSize: FormNumber;
  /** Backbone ids the members take in turn, comma-separated; '' = all use `backbone`. */
  ensembleBackbones: string;
  backend: string;
  splitVersion: FormNumber;
}

/** Every form field: where the server's ApiError field can land. */
export const FORM_FIELDS: readonly SettingKey[] = SETTINGS.map((s) => s.key);

/** One line per setting: what it does, in plain words. */
export const EXPLAIN = Object.fromEntries(SETTINGS.map((s) => [s.key, s.explain])) as Record<SettingKey, string>;

/**
 * The engine's 'default' augmentation strengths (engine/train/augment/augment-params.ts;
 * a unit test keeps the two equal). The defaults answer names only 'default', and the
 * form needs the numbers behind it to show and compare them.
 */
export const DEFAULT_AUGMENTATION = {
  flip: true,
  rotation: 10,
  scale: 0.1,
  crop: 0.1,
  brightness: 0.2,
  saturation: 0.2,
  hue: 0.05,
  greyscale: 0.05,
} as const;

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

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown, fallback: string): string => (typeof v === 'string' ? v : fallback);
const bool = (v: unknown, fallback: boolean): boolean => (typeof v === 'boolean' ? v : fallback);

/** The form as the engine's defaults fill it (null: the engine's defaults as this file knows them). */
export function formFromDefaults(defaults: TrainDefaultsView['configDefaults'] | null): TrainForm {
  const d = (defaults ?? {}) as Record<string, unknown>;
  const early = (d.earlyStopping ?? {}) as Record<string, unknown>;
  const aug = typeof d.augmentation === 'object' && d.augmentation !== null ? (d.augmentation as Record<string, unknown>) : {};
  const strength = (k: (typeof AUGMENT_KEYS)[number]) => num(aug[k]) ?? (DEFAULT_AUGMENTATION[k] as number);
  return {
    modelKind: str(d.modelKind, 'auto') as FormModelKind,
    epochs: num(d.epochs) ?? 30,
    augmentation: d.augmentation !== 'none',
    backbone: str(d.backbone, ''),
    fineTuneBlocks: num(d.fineTuneBlocks) ?? 2,
    hiddenUnits: num(d.hiddenUnits) ?? 256,
    inputSize: num(d.inputSize),
    resize: str(d.resize, 'fill'),
    flip: bool(aug.flip, DEFAULT_AUGMENTATION.flip),
    rotation: strength('rotation'),
    scale: strength('scale'),
    crop: strength('crop'),
    brightness: strength('brightness'),
    saturation: strength('saturation'),
    hue: strength('hue'),
    greyscale: strength('greyscale'),
    augmentViews: num(d.augmentViews) ?? 4,
    dropout: num(d.dropout) ?? 0.3,
    weightDecay: num(d.weightDecay) ?? 0.01,
    optimizer: str(d.optimizer, 'adamw'),
    learningRate: num(d.learningRate),
    momentum: num(d.momentum) ?? 0.9,
    batchSize: num(d.batchSize) ?? 32,
    earlyStop: bool(early.enabled, true),
    monitor: str(early.monitor, 'val_loss'),
    patience: num(early.patience) ?? 5,
    minDelta: num(early.minDelta) ?? 0.001,
    startFromEpoch: num(early.startFromEpoch) ?? 0,
    validateEvery: num(d.validateEvery) ?? 1,
    name: str(d.name, ''),
    seed: num(d.seed),
    ensembleSize: num(d.ensembleSize) ?? 1,
    ensembleBackbones: Array.isArray(d.ensembleBackbones) ? d.ensembleBackbones.join(',') : '',
    backend: str(d.backend, 'auto'),
    splitVersion: num(d.splitVersion),
  };
}

/**
 * Whether a setting takes part in the run with the rest of the form as it is: the
 * strengths only with augmentation on, the early-stopping details only with early
 * stopping on, momentum only with SGD. A setting out of play is neither checked nor sent.
 */
export function inPlay(key: SettingKey, form: TrainForm): boolean {
  if ((AUGMENT_KEYS as readonly string[]).includes(key)) return form.augmentation;
  if ((EARLY_KEYS as readonly string[]).includes(key)) return form.earlyStop;
  if (key === 'momentum') return form.optimizer === 'sgd';
  if (key === 'ensembleBackbones') return ensembleOverBackbones(form);
  // The engine takes one or the other: with members' backbones chosen, `backbone` is not sent.
  if (key === 'backbone') return !(ensembleOverBackbones(form) && memberBackboneIds(form).length > 0);
  return true;
}

/** The members can differ in backbone: an ensemble (2 or more) of a transfer-learning model. */
export function ensembleOverBackbones(form: TrainForm): boolean {
  const size = Number(form.ensembleSize);
  return Number.isInteger(size) && size >= 2 && (form.modelKind === 'frozen-head' || form.modelKind === 'fine-tune');
}

/** The members' backbone ids as the form holds them ("a,b" -> ['a', 'b']). */
export function memberBackboneIds(form: Pick<TrainForm, 'ensembleBackbones'>): string[] {
  return form.ensembleBackbones
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
}

/** A value as compared and sent: blanks are null, text is trimmed, numbers typed as text are numbers. */
function valueOf(form: TrainForm, key: SettingKey): string | number | boolean | null {
  const v = (form as unknown as Record<string, unknown>)[key];
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '') return null;
    if (settingOf(key).kind === 'number') return Number(t);
    return t;
  }
  return v as number | boolean;
}

/** The settings whose value differs from the defaults and that take part in the run, in form order. */
export function changedSettings(form: TrainForm, base: TrainForm): SettingKey[] {
  return SETTINGS.filter((s) => inPlay(s.key, form) && !Object.is(valueOf(form, s.key), valueOf(base, s.key))).map((s) => s.key);
}

/** "from 1 to 10,000", "more than 0, at most 10". */
export function rangeWords(s: NumberSetting): string {
  const f = (x: number) => (Math.abs(x) >= 10_000 ? x.toLocaleString('en-US') : String(x));
  if (s.max === Number.MAX_SAFE_INTEGER) return s.minExclusive ? `more than ${f(s.min)}` : `${f(s.min)} or more`;
  return s.minExclusive ? `more than ${f(s.min)}, at most ${f(s.max)}` : `from ${f(s.min)} to ${f(s.max)}`;
}

/** The problem with one setting's value, or null. The message names the setting. */
export function checkSetting(s: Setting, form: TrainForm): string | null {
  const raw = (form as unknown as Record<string, unknown>)[s.key];
  if (s.kind === 'number') {
    const v = valueOf(form, s.key);
    const what = s.integer ? 'a whole number' : 'a number';
    if (v === null) return s.blank ? null : `${s.label} is needed: ${what} ${rangeWords(s)}.`;
    if (typeof v !== 'number' || !Number.isFinite(v)) return `${s.label} must be ${what} ${rangeWords(s)}.`;
    if (s.integer && !Number.isInteger(v)) return `${s.label} must be a whole number ${rangeWords(s)}.`;
    const low = s.minExclusive ? v <= s.min : v < s.min;
    if (low || v > s.max) return `${s.label} must be ${rangeWords(s)}; ${v} is out of range.`;
    return null;
  }
  if (s.kind === 'text') {
    const t = typeof raw === 'string' ? raw.trim() : '';
    return t.length > s.maxLength ? `${s.label} is at most ${s.maxLength} characters.` : null;
  }
  if (s.kind === 'choice') {
    return s.choices.some((c) => c.id === raw) ? null : `${s.label}: choose one of the offered values.`;
  }
  return typeof raw === 'boolean' ? null : `${s.label} is on or off.`;
}

/** Every problem of the form, by field; empty when it can be sent. Settings out of play are not checked. */
export function validateForm(form: TrainForm): Partial<Record<SettingKey, string>> {
  const errors: Partial<Record<SettingKey, string>> = {};
  for (const s of SETTINGS) {
    if (!inPlay(s.key, form)) continue;
    const problem = checkSetting(s, form);
    if (problem) errors[s.key] = problem;
  }
  // The engine refuses this pair (make-optimizer.ts): plain Adam has no decay of its own,
  // and ignoring the setting would let a person believe they regularise when they do not.
  if (!errors.weightDecay && form.optimizer === 'adam' && typeof valueOf(form, 'weightDecay') === 'number' && (valueOf(form, 'weightDecay') as number) > 0) {
    errors.weightDecay = 'Weight decay needs AdamW or SGD: plain Adam has none. Choose AdamW, or set weight decay to 0.';
  }
  return errors;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const [head, ...rest] = path.split('.');
  if (rest.length === 0) {
    target[head!] = value;
    return;
  }
  const inner = (target[head!] ??= {}) as Record<string, unknown>;
  setPath(inner, rest.join('.'), value);
}

/**
 * The configuration to send: only the changed settings. Augmentation is 'none' when
 * switched off, else the changed strengths (the engine fills the rest with its defaults);
 * early stopping likewise sends only what changed in it.
 */
export function configFromForm(form: TrainForm, base: TrainForm): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  const changed = changedSettings(form, base);
  for (const key of changed) {
    if (key === 'augmentation') continue;
    if (key === 'ensembleBackbones') {
      const ids = memberBackboneIds(form);
      if (ids.length > 0) config.ensembleBackbones = ids;
      continue;
    }
    setPath(config, settingOf(key).path, valueOf(form, key));
  }
  if (!form.augmentation && base.augmentation) config.augmentation = 'none';
  if (form.augmentation && !base.augmentation && config.augmentation === undefined) config.augmentation = 'default';
  return config;
}

/**
 * The strengths for augment.preview: 'none' when switched off, else all eight as the
 * form has them; null while one of them is not a valid value (the preview waits).
 */
export function previewAugmentation(form: TrainForm): 'none' | Record<string, number | boolean> | null {
  if (!form.augmentation) return 'none';
  const out: Record<string, number | boolean> = {};
  for (const key of AUGMENT_KEYS) {
    if (checkSetting(settingOf(key), form)) return null;
    out[key] = valueOf(form, key) as number | boolean;
  }
  return out;
}

/** An engine field ("earlyStopping.patience", "augmentation.rotation") as the form field that sets it. */
export function formFieldOf(field: string | undefined): SettingKey | undefined {
  if (!field) return undefined;
  const exact = settingAt(field);
  if (exact) return exact.key;
  if (field === 'earlyStopping') return 'earlyStop';
  // "augmentation.flip.x" or an unknown field inside an object: the nearest setting that holds it.
  const parts = field.split('.');
  for (let n = parts.length - 1; n > 0; n--) {
    const s = settingAt(parts.slice(0, n).join('.'));
    if (s) return s.key;
  }
  return undefined;
}

// The settings of N runs side by side: each configuration (as runs.get returns it, with
// nested objects such as earlyStopping and resolved) flattened to dotted keys, one row
// per key, marked when the runs disagree. Pure, unit-tested.

/** A leaf of a configuration: arrays stay whole (a class list is one setting). */
export type SettingValue = string | number | boolean | null | readonly unknown[];

/**
 * Keys left out of the comparison: `name` is the name given when the run started, which
 * a rename does not change — the table shows the current one.
 */
export const IGNORED_SETTINGS: readonly string[] = ['name'];

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * { a: 1, b: { c: 2, d: { e: 3 } } } -> Map { a: 1, b.c: 2, b.d.e: 3 }, in the object's
 * own key order. An empty nested object is kept as one leaf ({}), so it is not lost.
 */
export function flattenConfig(config: Record<string, unknown>, prefix = ''): Map<string, SettingValue | Record<string, never>> {
  const out = new Map<string, SettingValue | Record<string, never>>();
  for (const [k, v] of Object.entries(config)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isPlainObject(v) && Object.keys(v).length > 0) {
      for (const [kk, vv] of flattenConfig(v, key)) out.set(kk, vv);
    } else if (v === undefined) {
      continue;
    } else {
      out.set(key, (isPlainObject(v) ? {} : v) as SettingValue);
    }
  }
  return out;
}

export interface SettingRow {
  key: string;
  /** One per configuration, in the order given; undefined where that run has no such setting. */
  values: (SettingValue | Record<string, never> | undefined)[];
  /** The runs disagree (a missing setting counts as different from a present one). */
  differs: boolean;
}

/** Two leaves are the same setting when their JSON is the same (arrays and {} compared by content). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * One row per setting found in any configuration, in order of first appearance (the
 * first run's order, then keys only later runs have). Ignored keys are left out.
 */
export function diffSettings(configs: readonly Record<string, unknown>[], ignore: readonly string[] = IGNORED_SETTINGS): SettingRow[] {
  const flat = configs.map((c) => flattenConfig(c));
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const f of flat) {
    for (const k of f.keys()) {
      if (seen.has(k) || ignore.includes(k) || ignore.some((i) => k.startsWith(`${i}.`))) continue;
      seen.add(k);
      keys.push(k);
    }
  }
  return keys.map((key) => {
    const values = flat.map((f) => f.get(key));
    const differs = values.some((v) => !same(v, values[0]));
    return { key, values, differs };
  });
}

/** How a setting reads in the table: "—" when the run has none, lists comma-separated. */
export function formatSetting(v: SettingValue | Record<string, never> | undefined): string {
  if (v === undefined) return '—';
  if (v === null) return 'none';
  if (Array.isArray(v)) return v.length === 0 ? '(none)' : v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ');
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'object') return '(none)';
  return String(v);
}

/** Plain words for the settings a person changes; other keys show as they are. */
export const SETTING_LABELS: Readonly<Record<string, string>> = {
  modelKind: 'Model kind (asked)',
  backbone: 'Backbone',
  inputSize: 'Input size',
  resize: 'Resize',
  hiddenUnits: 'Hidden units',
  dropout: 'Dropout',
  fineTuneBlocks: 'Fine-tuned blocks',
  augmentation: 'Augmentation',
  augmentViews: 'Augmented views',
  optimizer: 'Optimizer',
  learningRate: 'Learning rate',
  weightDecay: 'Weight decay',
  momentum: 'Momentum',
  batchSize: 'Batch size',
  epochs: 'Epochs (planned)',
  validateEvery: 'Validate every n epochs',
  'earlyStopping.enabled': 'Early stopping',
  'earlyStopping.monitor': 'Early stopping watches',
  'earlyStopping.minDelta': 'Early stopping: smallest improvement',
  'earlyStopping.patience': 'Early stopping: patience',
  'earlyStopping.startFromEpoch': 'Early stopping: from epoch',
  backend: 'Backend (asked)',
  seed: 'Random seed',
  splitVersion: 'Split version',
  ensembleSize: 'Ensemble size',
  ensembleBackbones: 'Members’ backbones',
  'resolved.modelKind': 'Model kind (used)',
  'resolved.reason': 'Why that model',
  'resolved.inputSize': 'Input size (used)',
  'resolved.channels': 'Colour channels',
  'resolved.resize': 'Resize (used)',
  'resolved.backbone': 'Backbone (used)',
  'resolved.learningRate': 'Learning rate (used)',
  'resolved.classes': 'Classes',
};

/** "learningRate" -> "Learning rate"; "resolved.augmentation.flip" -> "Augmentation (used): flip". */
export function settingLabel(key: string): string {
  const known = SETTING_LABELS[key];
  if (known) return known;
  const aug = /^(resolved\.)?augmentation\.(.+)$/.exec(key);
  if (aug) return `Augmentation${aug[1] ? ' (used)' : ''}: ${aug[2]}`;
  return key;
}

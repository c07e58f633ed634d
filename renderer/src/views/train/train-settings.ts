// Every training setting the form offers: its form key, where it sits in the engine's
// configuration, its label, a one-line explanation in plain words, and its range. The
// ranges copy the engine's schema (electron/engine/train/config.ts and
// augment/augment-params.ts); the renderer never imports the engine, so a unit test
// compares this table with the schema and fails when the two drift apart.

export type SettingGroup = 'basic' | 'model' | 'augmentation' | 'regularization' | 'early' | 'run';

export type SettingKey =
  | 'modelKind'
  | 'epochs'
  | 'augmentation'
  | 'backbone'
  | 'fineTuneBlocks'
  | 'hiddenUnits'
  | 'inputSize'
  | 'resize'
  | 'flip'
  | 'rotation'
  | 'scale'
  | 'crop'
  | 'brightness'
  | 'saturation'
  | 'hue'
  | 'greyscale'
  | 'augmentViews'
  | 'dropout'
  | 'weightDecay'
  | 'optimizer'
  | 'learningRate'
  | 'momentum'
  | 'batchSize'
  | 'earlyStop'
  | 'monitor'
  | 'patience'
  | 'minDelta'
  | 'startFromEpoch'
  | 'validateEvery'
  | 'name'
  | 'seed'
  | 'ensembleSize'
  | 'ensembleBackbones'
  | 'backend'
  | 'splitVersion';

interface Base {
  key: SettingKey;
  /** The field's path in the engine's configuration ("earlyStopping.patience"). */
  path: string;
  label: string;
  /** One line, plain words: what the setting does. */
  explain: string;
  group: SettingGroup;
}

export interface NumberSetting extends Base {
  kind: 'number';
  min: number;
  max: number;
  /** The minimum itself is not allowed (a learning rate of 0 learns nothing). */
  minExclusive?: boolean;
  integer: boolean;
  /** The input's step, for the arrows. */
  step: number;
  /** Blank is allowed and means "chosen for you" (the placeholder says what). */
  blank?: string;
}

export interface ChoiceSetting extends Base {
  kind: 'choice';
  choices: readonly { id: string; label: string }[];
}

export interface SwitchSetting extends Base {
  kind: 'switch';
}

export interface TextSetting extends Base {
  kind: 'text';
  maxLength: number;
  /** Blank is allowed and means this. */
  blank: string;
}

export type Setting = NumberSetting | ChoiceSetting | SwitchSetting | TextSetting;

export const MODEL_CHOICES = [
  { id: 'auto', label: 'Automatic (suggested for your data)' },
  { id: 'small-cnn', label: 'Small CNN, trained from scratch' },
  { id: 'small-vit', label: 'Small Vision Transformer, trained from scratch' },
  { id: 'frozen-head', label: 'Transfer learning: pretrained features + a small head' },
  { id: 'fine-tune', label: 'Transfer learning: fine-tune the top of the backbone' },
] as const;

export type FormModelKind = (typeof MODEL_CHOICES)[number]['id'];

export const AUGMENT_KEYS = ['flip', 'rotation', 'scale', 'crop', 'brightness', 'saturation', 'hue', 'greyscale'] as const;
export type AugmentKey = (typeof AUGMENT_KEYS)[number];

/** The early-stopping settings besides the switch itself. */
export const EARLY_KEYS = ['monitor', 'patience', 'minDelta', 'startFromEpoch'] as const;

export const SETTINGS: readonly Setting[] = [
  // Always shown.
  {
    key: 'modelKind',
    path: 'modelKind',
    kind: 'choice',
    group: 'basic',
    label: 'Model',
    explain: 'What learns from your images. Automatic picks from their size and colour.',
    choices: MODEL_CHOICES,
  },
  {
    key: 'epochs',
    path: 'epochs',
    kind: 'number',
    group: 'basic',
    label: 'Epochs',
    explain: 'How many times training goes through all training images. Early stopping may end it sooner.',
    min: 1,
    max: 10_000,
    integer: true,
    step: 1,
  },
  {
    key: 'augmentation',
    path: 'augmentation',
    kind: 'switch',
    group: 'basic',
    label: 'Augmentation',
    explain: 'Random flips, turns, crops and colour shifts, so the network never sees the same picture twice.',
  },

  // Model.
  {
    key: 'backbone',
    path: 'backbone',
    kind: 'text',
    group: 'model',
    label: 'Backbone',
    explain: 'The pretrained network whose features transfer learning starts from.',
    maxLength: 200,
    blank: 'the bundled default',
  },
  {
    key: 'fineTuneBlocks',
    path: 'fineTuneBlocks',
    kind: 'number',
    group: 'model',
    label: 'Blocks to fine-tune',
    explain: 'Fine-tuning only: how many of the backbone’s top blocks keep learning. More adapts further but overfits sooner.',
    min: 1,
    max: 50,
    integer: true,
    step: 1,
  },
  {
    key: 'hiddenUnits',
    path: 'hiddenUnits',
    kind: 'number',
    group: 'model',
    label: 'Hidden units',
    explain: 'Size of the dense layer before the answer. 0 goes straight from features to classes; smaller overfits less.',
    min: 0,
    max: 4096,
    integer: true,
    step: 32,
  },
  {
    key: 'inputSize',
    path: 'inputSize',
    kind: 'number',
    group: 'model',
    label: 'Input size (pixels)',
    explain: 'Images are resized to this square. Larger shows finer detail but trains slower. A backbone has its own size.',
    min: 8,
    max: 512,
    integer: true,
    step: 8,
    blank: 'chosen from your images',
  },
  {
    key: 'resize',
    path: 'resize',
    kind: 'choice',
    group: 'model',
    label: 'Making images square',
    explain: 'Stretching keeps everything in the picture; cropping keeps the shapes but cuts the edges off.',
    choices: [
      { id: 'fill', label: 'Stretch to a square' },
      { id: 'cover', label: 'Crop the centre square' },
    ],
  },

  // Augmentation strengths (0 turns one off).
  { key: 'flip', path: 'augmentation.flip', kind: 'switch', group: 'augmentation', label: 'Flip left–right', explain: 'Mirrors half the images. Turn off when left and right matter (text, arrows).' },
  {
    key: 'rotation',
    path: 'augmentation.rotation',
    kind: 'number',
    group: 'augmentation',
    label: 'Rotation (degrees)',
    explain: 'Turns each image by up to this many degrees either way.',
    min: 0,
    max: 45,
    integer: false,
    step: 1,
  },
  {
    key: 'scale',
    path: 'augmentation.scale',
    kind: 'number',
    group: 'augmentation',
    label: 'Zoom',
    explain: 'Zooms in or out by up to this share (0.1 = 10%).',
    min: 0,
    max: 0.5,
    integer: false,
    step: 0.05,
  },
  {
    key: 'crop',
    path: 'augmentation.crop',
    kind: 'number',
    group: 'augmentation',
    label: 'Crop',
    explain: 'Cuts away up to this share of the image at a random place, then enlarges the rest.',
    min: 0,
    max: 0.5,
    integer: false,
    step: 0.05,
  },
  {
    key: 'brightness',
    path: 'augmentation.brightness',
    kind: 'number',
    group: 'augmentation',
    label: 'Brightness',
    explain: 'Makes images lighter or darker by up to this much (1 = from black to white).',
    min: 0,
    max: 1,
    integer: false,
    step: 0.05,
  },
  {
    key: 'saturation',
    path: 'augmentation.saturation',
    kind: 'number',
    group: 'augmentation',
    label: 'Saturation',
    explain: 'Makes colours duller or stronger by up to this share.',
    min: 0,
    max: 1,
    integer: false,
    step: 0.05,
  },
  {
    key: 'hue',
    path: 'augmentation.hue',
    kind: 'number',
    group: 'augmentation',
    label: 'Hue (tint)',
    explain: 'Shifts every colour around the colour wheel by up to this share of a full turn. Keep low when colour tells the classes apart.',
    min: 0,
    max: 0.5,
    integer: false,
    step: 0.01,
  },
  {
    key: 'greyscale',
    path: 'augmentation.greyscale',
    kind: 'number',
    group: 'augmentation',
    label: 'Greyscale',
    explain: 'The chance that an image loses its colour (0.05 = 1 in 20).',
    min: 0,
    max: 1,
    integer: false,
    step: 0.05,
  },
  {
    key: 'augmentViews',
    path: 'augmentViews',
    kind: 'number',
    group: 'augmentation',
    label: 'Augmented copies (frozen backbone)',
    explain: 'Transfer learning with frozen features: how many augmented copies of each image are prepared in advance.',
    min: 0,
    max: 32,
    integer: true,
    step: 1,
  },

  // Regularization and the optimiser.
  {
    key: 'dropout',
    path: 'dropout',
    kind: 'number',
    group: 'regularization',
    label: 'Dropout',
    explain: 'Share of the network switched off at random while training, so it cannot lean on a few details.',
    min: 0,
    max: 0.9,
    integer: false,
    step: 0.05,
  },
  {
    key: 'weightDecay',
    path: 'weightDecay',
    kind: 'number',
    group: 'regularization',
    label: 'Weight decay',
    explain: 'Gently pulls weights towards zero, which discourages memorising the training images.',
    min: 0,
    max: 1,
    integer: false,
    step: 0.001,
  },
  {
    key: 'optimizer',
    path: 'optimizer',
    kind: 'choice',
    group: 'regularization',
    label: 'Optimiser',
    explain: 'How weights are updated. AdamW (Adam with weight decay kept apart) is a safe choice; SGD sometimes generalises a little better.',
    choices: [
      { id: 'adamw', label: 'AdamW' },
      { id: 'adam', label: 'Adam (weight decay 0 only)' },
      { id: 'sgd', label: 'SGD with momentum' },
    ],
  },
  {
    key: 'learningRate',
    path: 'learningRate',
    kind: 'number',
    group: 'regularization',
    label: 'Learning rate',
    explain: 'How big each learning step is. Too high and the loss jumps about; too low and it barely moves.',
    min: 0,
    max: 10,
    minExclusive: true,
    integer: false,
    step: 0.0001,
    blank: 'automatic',
  },
  {
    key: 'momentum',
    path: 'momentum',
    kind: 'number',
    group: 'regularization',
    label: 'Momentum (SGD)',
    explain: 'SGD only: how much of the previous step carries into the next, which smooths the path.',
    min: 0,
    max: 0.999,
    integer: false,
    step: 0.05,
  },
  {
    key: 'batchSize',
    path: 'batchSize',
    kind: 'number',
    group: 'regularization',
    label: 'Batch size',
    explain: 'Images looked at per step. Larger runs faster per image but needs more memory.',
    min: 1,
    max: 1024,
    integer: true,
    step: 1,
  },

  // Early stopping and validation.
  {
    key: 'earlyStop',
    path: 'earlyStopping.enabled',
    kind: 'switch',
    group: 'early',
    label: 'Stop early',
    explain: 'Stop when the validation images stop improving, and keep the weights of the best epoch.',
  },
  {
    key: 'monitor',
    path: 'earlyStopping.monitor',
    kind: 'choice',
    group: 'early',
    label: 'Judge improvement by',
    explain: 'Which validation number decides the best epoch. Loss notices smaller progress than accuracy.',
    choices: [
      { id: 'val_loss', label: 'Validation loss (lower is better)' },
      { id: 'val_accuracy', label: 'Validation accuracy (higher is better)' },
    ],
  },
  {
    key: 'patience',
    path: 'earlyStopping.patience',
    kind: 'number',
    group: 'early',
    label: 'Early stopping patience',
    explain: 'Stop after this many validations without improvement, keeping the best epoch.',
    min: 0,
    max: 1000,
    integer: true,
    step: 1,
  },
  {
    key: 'minDelta',
    path: 'earlyStopping.minDelta',
    kind: 'number',
    group: 'early',
    label: 'Smallest improvement',
    explain: 'A change smaller than this does not count as getting better.',
    min: 0,
    max: 1,
    integer: false,
    step: 0.001,
  },
  {
    key: 'startFromEpoch',
    path: 'earlyStopping.startFromEpoch',
    kind: 'number',
    group: 'early',
    label: 'Judge from epoch',
    explain: 'Epochs before this one never stop the run: give a slow start time to warm up.',
    min: 0,
    max: 1000,
    integer: true,
    step: 1,
  },
  {
    key: 'validateEvery',
    path: 'validateEvery',
    kind: 'number',
    group: 'early',
    label: 'Validate every … epochs',
    explain: 'How often the validation images are checked; checkpoints and early stopping follow these checks.',
    min: 1,
    max: 1000,
    integer: true,
    step: 1,
  },

  // The run itself.
  {
    key: 'name',
    path: 'name',
    kind: 'text',
    group: 'run',
    label: 'Run name',
    explain: 'A name to find this run by later.',
    maxLength: 200,
    blank: 'numbered automatically',
  },
  {
    key: 'seed',
    path: 'seed',
    kind: 'number',
    group: 'run',
    label: 'Random seed',
    explain: 'The same seed with the same settings starts the same way; blank draws a new one.',
    min: 0,
    max: 2 ** 32 - 1,
    integer: true,
    step: 1,
    blank: 'a new one each run',
  },
  {
    key: 'ensembleSize',
    path: 'ensembleSize',
    kind: 'number',
    group: 'run',
    label: 'Ensemble size',
    explain: 'Models trained from different seeds and averaged: steadier predictions, for that many times the training time.',
    min: 1,
    max: 10,
    integer: true,
    step: 1,
  },
  {
    key: 'ensembleBackbones',
    path: 'ensembleBackbones',
    kind: 'text',
    group: 'run',
    label: 'Members’ backbones',
    explain: 'Ensembles with transfer learning: members take these backbones in turn, so they differ in what they see.',
    // Up to 10 ids of at most 200 characters, comma-separated (the picker writes it).
    maxLength: 10 * 201,
    blank: 'every member uses the backbone above',
  },
  {
    key: 'backend',
    path: 'backend',
    kind: 'choice',
    group: 'run',
    label: 'Compute backend',
    explain: 'Where the arithmetic runs. Automatic takes the fastest this computer has.',
    choices: [
      { id: 'auto', label: 'Automatic (fastest available)' },
      { id: 'tensorflow-gpu', label: 'NVIDIA GPU (TensorFlow)' },
      { id: 'tensorflow', label: 'Native CPU (TensorFlow)' },
      { id: 'wasm', label: 'WebAssembly CPU' },
      { id: 'cpu', label: 'Plain JavaScript CPU (slowest)' },
    ],
  },
  {
    key: 'splitVersion',
    path: 'splitVersion',
    kind: 'number',
    group: 'run',
    label: 'Split version',
    explain: 'Which saved split of your images to train on.',
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
    integer: true,
    step: 1,
    blank: 'the current split',
  },
];

const BY_KEY = new Map(SETTINGS.map((s) => [s.key, s]));
const BY_PATH = new Map(SETTINGS.map((s) => [s.path, s]));

export function settingOf(key: SettingKey): Setting {
  return BY_KEY.get(key)!;
}

/** The setting an engine field names ("earlyStopping.patience" -> patience), or undefined. */
export function settingAt(path: string): Setting | undefined {
  return BY_PATH.get(path);
}

export const GROUP_TITLES: Record<Exclude<SettingGroup, 'basic'>, string> = {
  model: 'Model',
  augmentation: 'Augmentation',
  regularization: 'Regularization and learning',
  early: 'Early stopping and validation',
  run: 'This run',
};

export function settingsIn(group: SettingGroup): Setting[] {
  return SETTINGS.filter((s) => s.group === group);
}

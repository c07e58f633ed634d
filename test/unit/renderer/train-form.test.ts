// The Train form's settings and validation, checked against the engine's own schema: every
// range the form claims is the range the engine enforces, every setting the engine has is
// in the form, and what the form sends parses to what the user chose.
import { describe, expect, it } from 'vitest';
import { augmentParamsSchema, defaultAugmentation } from '../../../electron/engine/train/augment/augment-params.js';
import { earlyStoppingSchema, parseTrainConfig, trainConfigSchema } from '../../../electron/engine/train/config.js';
import {
  changedSettings,
  configFromForm,
  DEFAULT_AUGMENTATION,
  formFieldOf,
  formFromDefaults,
  inPlay,
  memberBackboneIds,
  previewAugmentation,
  validateForm,
  type TrainForm,
} from '../../../renderer/src/views/train/train-form.js';
import { AUGMENT_KEYS, SETTINGS, settingOf, type NumberSetting } from '../../../renderer/src/views/train/train-settings.js';

const engineDefaults = parseTrainConfig({}) as unknown as Record<string, unknown>;
const base = formFromDefaults(engineDefaults);
const form = (over: Partial<TrainForm> = {}): TrainForm => ({ ...base, ...over });

/** A configuration with one setting at `value` (the path "a.b" nests). */
function configWith(path: string, value: unknown): Record<string, unknown> {
  const [head, tail] = path.split('.');
  return tail ? { [head!]: { [tail]: value } } : { [head!]: value };
}
const engineTakes = (path: string, value: unknown) => trainConfigSchema.safeParse(configWith(path, value)).success;

describe('the settings table agrees with the engine schema', () => {
  it('covers every setting the engine has', () => {
    const paths = new Set(SETTINGS.map((s) => s.path));
    for (const key of Object.keys(trainConfigSchema.shape)) {
      if (key === 'augmentation' || key === 'earlyStopping') continue;
      expect(paths, key).toContain(key);
    }
    for (const key of Object.keys(augmentParamsSchema.shape)) expect(paths, key).toContain(`augmentation.${key}`);
    for (const key of Object.keys(earlyStoppingSchema.shape)) expect(paths, key).toContain(`earlyStopping.${key}`);
    expect(paths).toContain('augmentation');
  });

  it('claims exactly the ranges the engine enforces', () => {
    const numbers = SETTINGS.filter((s): s is NumberSetting => s.kind === 'number');
    expect(numbers.length).toBeGreaterThan(20);
    for (const s of numbers) {
      expect(engineTakes(s.path, s.min), `${s.key} at its minimum`).toBe(!s.minExclusive);
      expect(engineTakes(s.path, s.min - (s.integer ? 1 : 1e-6)), `${s.key} below its minimum`).toBe(false);
      if (s.minExclusive) expect(engineTakes(s.path, s.min + 1e-6), `${s.key} just above its minimum`).toBe(true);
      if (s.max !== Number.MAX_SAFE_INTEGER) {
        expect(engineTakes(s.path, s.max), `${s.key} at its maximum`).toBe(true);
        expect(engineTakes(s.path, s.max + (s.integer ? 1 : 1e-6)), `${s.key} above its maximum`).toBe(false);
      }
      if (s.integer) expect(engineTakes(s.path, s.min + 1.5), `${s.key} as a fraction`).toBe(false);
    }
  });

  it('offers exactly the choices the engine accepts', () => {
    for (const s of SETTINGS) {
      if (s.kind !== 'choice') continue;
      for (const c of s.choices) expect(engineTakes(s.path, c.id), `${s.key}=${c.id}`).toBe(true);
      expect(engineTakes(s.path, 'no-such-choice'), s.key).toBe(false);
    }
  });

  it('knows the default augmentation strengths and the engine defaults without asking', () => {
    expect(DEFAULT_AUGMENTATION).toEqual(defaultAugmentation);
    // The form before train.defaults answers is the form after it.
    expect(formFromDefaults(null)).toEqual(base);
  });

  it('explains every setting in one line', () => {
    for (const s of SETTINGS) {
      expect(s.explain.length, s.key).toBeGreaterThan(20);
      expect(s.explain.length, s.key).toBeLessThan(140);
      expect(s.explain, s.key).not.toMatch(/\n/);
    }
  });
});

describe('validateForm', () => {
  it('passes the defaults', () => {
    expect(validateForm(base)).toEqual({});
  });

  it('names the setting and its range under a value out of range', () => {
    expect(validateForm(form({ epochs: 0 })).epochs).toBe('Epochs must be from 1 to 10,000; 0 is out of range.');
    expect(validateForm(form({ dropout: 0.95 })).dropout).toMatch(/^Dropout must be from 0 to 0\.9/);
    expect(validateForm(form({ rotation: 90 })).rotation).toMatch(/^Rotation \(degrees\) must be from 0 to 45/);
    expect(validateForm(form({ learningRate: 0 })).learningRate).toMatch(/^Learning rate must be more than 0, at most 10/);
    expect(validateForm(form({ seed: 2 ** 32 })).seed).toMatch(/Random seed/);
  });

  it('takes an ensemble size of 1 to 10 whole models, names it when not, and sends it only when changed', () => {
    expect(base.ensembleSize).toBe(1);
    expect(validateForm(form({ ensembleSize: 0 })).ensembleSize).toBe('Ensemble size must be from 1 to 10; 0 is out of range.');
    expect(validateForm(form({ ensembleSize: 11 })).ensembleSize).toBe('Ensemble size must be from 1 to 10; 11 is out of range.');
    expect(validateForm(form({ ensembleSize: 2.5 })).ensembleSize).toMatch(/^Ensemble size must be a whole number from 1 to 10/);
    expect(validateForm(form({ ensembleSize: null })).ensembleSize).toMatch(/^Ensemble size is needed/);
    expect(configFromForm(form({ ensembleSize: 5 }), base)).toEqual({ ensembleSize: 5 });
    expect(configFromForm(form(), base)).not.toHaveProperty('ensembleSize');
    expect(settingOf('ensembleSize').group).not.toBe('basic');
    expect(formFieldOf('ensembleSize')).toBe('ensembleSize');
  });

  it('wants whole numbers where the engine does', () => {
    expect(validateForm(form({ batchSize: 12.5 })).batchSize).toMatch(/^Batch size must be a whole number from 1 to 1024/);
    expect(validateForm(form({ patience: 2.5 })).patience).toMatch(/whole number/);
    expect(validateForm(form({ dropout: 0.25 }))).toEqual({});
  });

  it('asks for a required value left empty, and lets an optional one be blank', () => {
    expect(validateForm(form({ epochs: undefined })).epochs).toMatch(/^Epochs is needed: a whole number from 1 to 10,000/);
    expect(validateForm(form({ batchSize: null })).batchSize).toMatch(/is needed/);
    expect(validateForm(form({ learningRate: undefined, inputSize: null, seed: undefined, splitVersion: null }))).toEqual({});
  });

  it('refuses text that is not a number, and a name that is too long', () => {
    expect(validateForm(form({ epochs: 'ten' as unknown as number })).epochs).toMatch(/^Epochs must be a whole number/);
    expect(validateForm(form({ name: 'x'.repeat(201) })).name).toBe('Run name is at most 200 characters.');
  });

  it('leaves settings out of play alone', () => {
    // Strengths with augmentation off, early-stopping details with it off, momentum without SGD.
    expect(validateForm(form({ augmentation: false, rotation: 999 }))).toEqual({});
    expect(validateForm(form({ earlyStop: false, patience: -1 }))).toEqual({});
    expect(validateForm(form({ momentum: 5 }))).toEqual({});
    expect(validateForm(form({ optimizer: 'sgd', momentum: 5 })).momentum).toMatch(/Momentum/);
  });

  it('refuses weight decay with plain Adam, as the engine does', () => {
    expect(validateForm(form({ optimizer: 'adam' })).weightDecay).toMatch(/AdamW/);
    expect(validateForm(form({ optimizer: 'adam', weightDecay: 0 }))).toEqual({});
  });

  it('refuses a choice the engine does not offer', () => {
    expect(validateForm(form({ backend: 'quantum' })).backend).toMatch(/Compute backend/);
  });
});

describe('changedSettings and configFromForm', () => {
  it('sends nothing when nothing changed: every setting stays the engine default', () => {
    expect(changedSettings(base, base)).toEqual([]);
    expect(configFromForm(base, base)).toEqual({});
  });

  it('sends only what changed, nested where the engine nests it, and it parses to the choice', () => {
    const f = form({ epochs: 12, rotation: 30, flip: false, patience: 2, optimizer: 'sgd', momentum: 0.8, name: ' mine ', seed: 7 });
    expect(changedSettings(f, base)).toEqual(['epochs', 'flip', 'rotation', 'optimizer', 'momentum', 'patience', 'name', 'seed']);
    const config = configFromForm(f, base);
    expect(config).toEqual({
      epochs: 12,
      augmentation: { flip: false, rotation: 30 },
      optimizer: 'sgd',
      momentum: 0.8,
      earlyStopping: { patience: 2 },
      name: 'mine',
      seed: 7,
    });
    const parsed = parseTrainConfig(config);
    expect(parsed.augmentation).toEqual({ ...defaultAugmentation, flip: false, rotation: 30 });
    expect(parsed.earlyStopping).toMatchObject({ enabled: true, patience: 2, minDelta: 0.001 });
    expect(parsed.dropout).toBe(engineDefaults.dropout);
  });

  it('turns augmentation off as "none" and forgets its strengths', () => {
    const f = form({ augmentation: false, rotation: 30 });
    expect(changedSettings(f, base)).toEqual(['augmentation']);
    expect(configFromForm(f, base)).toEqual({ augmentation: 'none' });
  });

  it('turns early stopping off without its details, and momentum counts only with SGD', () => {
    expect(configFromForm(form({ earlyStop: false, patience: 9 }), base)).toEqual({ earlyStopping: { enabled: false } });
    expect(changedSettings(form({ momentum: 0.5 }), base)).toEqual([]);
  });

  it('treats a number typed back to its default, and blanks, as unchanged', () => {
    expect(changedSettings(form({ epochs: '30' as unknown as number, learningRate: undefined, name: '  ' }), base)).toEqual([]);
  });

  it('sends a learning rate only when one is typed', () => {
    expect(configFromForm(form({ learningRate: 0.002 }), base)).toEqual({ learningRate: 0.002 });
  });
});

describe('members on different backbones', () => {
  const ensemble = (over: Partial<TrainForm> = {}) => form({ modelKind: 'frozen-head', ensembleSize: 3, ...over });

  it('is in play only for an ensemble of a transfer-learning model', () => {
    expect(inPlay('ensembleBackbones', base)).toBe(false);
    expect(inPlay('ensembleBackbones', form({ ensembleSize: 3 }))).toBe(false); // auto may pick a CNN
    expect(inPlay('ensembleBackbones', ensemble({ modelKind: 'small-cnn' }))).toBe(false);
    expect(inPlay('ensembleBackbones', ensemble({ ensembleSize: 1 }))).toBe(false);
    expect(inPlay('ensembleBackbones', ensemble())).toBe(true);
    expect(inPlay('ensembleBackbones', ensemble({ modelKind: 'fine-tune' }))).toBe(true);
  });

  it('sends the ticked ids as a list in place of backbone, and the engine takes it', () => {
    const f = ensemble({ ensembleBackbones: 'nsfwjs-mobilenet-v2-mid, nsfwjs-mobilenet-v2,', backbone: 'nsfwjs-mobilenet-v2' });
    expect(memberBackboneIds(f)).toEqual(['nsfwjs-mobilenet-v2-mid', 'nsfwjs-mobilenet-v2']);
    expect(inPlay('backbone', f)).toBe(false);
    const config = configFromForm(f, base);
    expect(config).toEqual({ modelKind: 'frozen-head', ensembleSize: 3, ensembleBackbones: ['nsfwjs-mobilenet-v2-mid', 'nsfwjs-mobilenet-v2'] });
    expect(parseTrainConfig(config).ensembleBackbones).toEqual(['nsfwjs-mobilenet-v2-mid', 'nsfwjs-mobilenet-v2']);
  });

  it('sends nothing for it out of play or with none ticked, and then backbone as usual', () => {
    expect(configFromForm(ensemble({ modelKind: 'small-cnn', ensembleBackbones: 'a,b' }), base)).not.toHaveProperty('ensembleBackbones');
    const none = ensemble({ ensembleBackbones: '', backbone: 'nsfwjs-mobilenet-v2' });
    expect(configFromForm(none, base)).toEqual({ modelKind: 'frozen-head', ensembleSize: 3, backbone: 'nsfwjs-mobilenet-v2' });
    expect(formFieldOf('ensembleBackbones')).toBe('ensembleBackbones');
    expect(formFieldOf('ensembleBackbones.1')).toBe('ensembleBackbones');
  });
});

describe('previewAugmentation', () => {
  it('gives all eight strengths, "none" when off, and null while one is invalid', () => {
    expect(previewAugmentation(base)).toEqual(defaultAugmentation);
    expect(Object.keys(previewAugmentation(base) as object)).toEqual([...AUGMENT_KEYS]);
    expect(previewAugmentation(form({ augmentation: false }))).toBe('none');
    expect(previewAugmentation(form({ hue: 0.9 }))).toBeNull();
    expect(previewAugmentation(form({ hue: 0.3 }))).toMatchObject({ hue: 0.3 });
  });
});

describe('formFieldOf', () => {
  it('puts an engine field under the form field that sets it', () => {
    expect(formFieldOf('epochs')).toBe('epochs');
    expect(formFieldOf('earlyStopping.patience')).toBe('patience');
    expect(formFieldOf('earlyStopping.enabled')).toBe('earlyStop');
    expect(formFieldOf('augmentation.rotation')).toBe('rotation');
    expect(formFieldOf('augmentation.sparkle')).toBe('augmentation');
    expect(formFieldOf('earlyStopping')).toBe('earlyStop');
    expect(formFieldOf('nonsense')).toBeUndefined();
    expect(formFieldOf(undefined)).toBeUndefined();
  });

  it('every form field can be told whether it is in play', () => {
    for (const s of SETTINGS) expect(typeof inPlay(s.key, base), s.key).toBe('boolean');
    expect(settingOf('patience').path).toBe('earlyStopping.patience');
  });
});

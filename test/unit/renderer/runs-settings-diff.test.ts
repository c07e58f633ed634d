// The compared runs' settings: configurations flattened to dotted keys, one row per key
// in first-seen order, marked where the runs disagree (missing counts as different).
import { describe, expect, it } from 'vitest';
import { diffSettings, flattenConfig, formatSetting, settingLabel } from '../../../renderer/src/views/runs/settings-diff.js';

describe('flattenConfig', () => {
  it('flattens nested objects to dotted keys, keeping arrays whole and empty objects as leaves', () => {
    const flat = flattenConfig({ a: 1, b: { c: 'x', d: { e: true } }, list: [1, 2], empty: {}, gone: undefined, none: null });
    expect([...flat.entries()]).toEqual([
      ['a', 1],
      ['b.c', 'x'],
      ['b.d.e', true],
      ['list', [1, 2]],
      ['empty', {}],
      ['none', null],
    ]);
  });
});

describe('diffSettings', () => {
  const base = {
    name: 'Run 1',
    dropout: 0.3,
    epochs: 6,
    earlyStopping: { enabled: true, patience: 5 },
    resolved: { modelKind: 'small-cnn', classes: ['a', 'b'] },
  };

  it('marks only the keys whose values differ, across three runs', () => {
    const rows = diffSettings([
      base,
      { ...base, name: 'Run 2', dropout: 0.5 },
      { ...base, name: 'Run 3', earlyStopping: { enabled: true, patience: 8 }, resolved: { modelKind: 'small-cnn', classes: ['a', 'b'] } },
    ]);
    expect(rows.map((r) => r.key)).toEqual(['dropout', 'epochs', 'earlyStopping.enabled', 'earlyStopping.patience', 'resolved.modelKind', 'resolved.classes']);
    expect(rows.filter((r) => r.differs).map((r) => r.key)).toEqual(['dropout', 'earlyStopping.patience']);
    expect(rows.find((r) => r.key === 'dropout')!.values).toEqual([0.3, 0.5, 0.3]);
  });

  it('leaves out the name (a rename does not change it), and compares arrays by content', () => {
    const rows = diffSettings([base, { ...base, name: 'other', resolved: { modelKind: 'small-cnn', classes: ['a', 'c'] } }]);
    expect(rows.some((r) => r.key === 'name')).toBe(false);
    expect(rows.filter((r) => r.differs).map((r) => r.key)).toEqual(['resolved.classes']);
  });

  it('counts a setting only one run has as different, and adds later runs\' keys at the end', () => {
    const rows = diffSettings([{ epochs: 5 }, { epochs: 5, learningRate: 0.01 }, { epochs: 5, augmentation: { flip: true } }]);
    expect(rows.map((r) => [r.key, r.differs])).toEqual([
      ['epochs', false],
      ['learningRate', true],
      ['augmentation.flip', true],
    ]);
    expect(rows[1]!.values).toEqual([undefined, 0.01, undefined]);
  });

  it('sees a string setting replaced by an object ("default" augmentation vs custom) as two differing rows', () => {
    const rows = diffSettings([{ augmentation: 'default' }, { augmentation: { flip: true, rotation: 10 } }]);
    expect(rows.map((r) => [r.key, r.differs])).toEqual([
      ['augmentation', true],
      ['augmentation.flip', true],
      ['augmentation.rotation', true],
    ]);
  });

  it('finds nothing different between identical configurations', () => {
    expect(diffSettings([base, structuredClone(base)]).every((r) => !r.differs)).toBe(true);
  });
});

describe('formatSetting and settingLabel', () => {
  it('reads values in plain words', () => {
    expect(formatSetting(undefined)).toBe('—');
    expect(formatSetting(null)).toBe('none');
    expect(formatSetting(true)).toBe('yes');
    expect(formatSetting(['circle', 'square'])).toBe('circle, square');
    expect(formatSetting(0.001)).toBe('0.001');
  });
  it('names known settings and falls back to the key', () => {
    expect(settingLabel('learningRate')).toBe('Learning rate');
    expect(settingLabel('resolved.augmentation.flip')).toBe('Augmentation (used): flip');
    expect(settingLabel('somethingNew.x')).toBe('somethingNew.x');
  });
});

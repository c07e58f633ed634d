import { describe, expect, it } from 'vitest';
import { earlyStopKept } from '../../../../electron/engine/train/coach/early-stop-kept.js';
import { facts, healthy, history } from './histories.js';

const TRAIN = [1.0, 0.6, 0.4, 0.3, 0.22, 0.17, 0.13, 0.1];
const VAL = [0.9, 0.6, 0.5, 0.48, 0.5, 0.53, 0.55, 0.58];

describe('coach: validation peaked and early stopping kept epoch k', () => {
  it('says which epoch was kept when early stopping ended the run', () => {
    const f = earlyStopKept(history(TRAIN, VAL), facts({}, { stoppedEarly: true, bestEpoch: 4, epochsRun: 8, patience: 4 }));
    expect(f).toMatchObject({ id: 'early-stop-kept', severity: 'info', title: 'Validation peaked at epoch 4; that model was kept' });
    expect(f!.detail).toMatch(/stopped after epoch 8 because validation had not improved for 4 validations/);
    expect(f!.suggestions.map((s) => s.setting)).toEqual(['augmentation', 'dropout', null]);
  });

  it('with early stopping off, a clear peak still says which model was kept and proposes turning it on', () => {
    const f = earlyStopKept(history(TRAIN, VAL), facts({}, { enabled: false, bestEpoch: 4, epochsRun: 8 }));
    expect(f!.detail).toMatch(/got worse after epoch 4/);
    expect(f!.suggestions.at(-1)).toMatchObject({ setting: 'earlyStopping.enabled', value: true });
  });

  it('a peak within the first 2 epochs suggests a lower learning rate, with a value', () => {
    const f = earlyStopKept(history(TRAIN.slice(0, 6), [0.9, 0.6, 0.7, 0.8, 0.9, 1.0]), facts({}, { stoppedEarly: true, bestEpoch: 2, epochsRun: 6 }));
    expect(f!.suggestions[0]).toMatchObject({ setting: 'learningRate', value: 0.00033 });
  });

  it('is silent on a healthy run (best epoch last, no early stop)', () => {
    expect(earlyStopKept(healthy, facts())).toBeNull();
  });

  it('is silent on a plateau: the best epoch earlier, but the last within 2% of it', () => {
    expect(earlyStopKept(history(TRAIN, [0.9, 0.6, 0.5, 0.48, 0.485, 0.482, 0.484, 0.487]), facts({}, { bestEpoch: 4, epochsRun: 8 }))).toBeNull();
  });
});

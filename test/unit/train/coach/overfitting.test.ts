import { describe, expect, it } from 'vitest';
import { overfitting } from '../../../../electron/engine/train/coach/overfitting.js';
import { facts, healthy, history } from './histories.js';

// Training loss falls to 0.06 while validation turns up after epoch 3.
const TRAIN = [1.0, 0.6, 0.4, 0.25, 0.15, 0.1, 0.06];
const VAL = [0.9, 0.7, 0.6, 0.65, 0.72, 0.8, 0.9];

describe('coach: overfitting', () => {
  it('fires when validation loss rises for 3 validations while training loss is far below it', () => {
    const f = overfitting(history(TRAIN, VAL), facts({}, { bestEpoch: 3, epochsRun: 7 }));
    expect(f).toMatchObject({ id: 'overfitting', severity: 'warning' });
    expect(f!.detail).toMatch(/0\.60 at epoch 3/);
    expect(f!.detail).toMatch(/saved model is the one from epoch 3/);
    const settings = f!.suggestions.map((s) => s.setting);
    expect(settings).toEqual([null, 'augmentation', 'dropout', 'weightDecay', 'modelKind']);
    expect(f!.suggestions.find((s) => s.setting === 'dropout')!.value).toBe(0.5);
    expect(f!.suggestions.find((s) => s.setting === 'weightDecay')!.value).toBe(0.05);
    expect(f!.suggestions.find((s) => s.setting === 'modelKind')!.value).toBe('frozen-head');
  });

  it('proposes turning augmentation and early stopping on when they were off, and no model change for a frozen head', () => {
    const f = overfitting(history(TRAIN, VAL), facts({ modelKind: 'frozen-head', settings: { augmentation: 'none' } }, { enabled: false, bestEpoch: 3, epochsRun: 7 }));
    expect(f!.suggestions.find((s) => s.setting === 'augmentation')).toMatchObject({ value: 'default' });
    expect(f!.suggestions.find((s) => s.setting === 'earlyStopping.enabled')).toMatchObject({ value: true });
    expect(f!.suggestions.some((s) => s.setting === 'modelKind')).toBe(false);
  });

  it('is silent on a healthy run', () => {
    expect(overfitting(healthy, facts())).toBeNull();
  });

  it('is silent when validation rose for only 2 validations', () => {
    expect(overfitting(history(TRAIN.slice(0, 6), [0.9, 0.7, 0.6, 0.5, 0.62, 0.7]), facts())).toBeNull();
  });

  it('is silent when validation rises less than 10% above its lowest (a noisy plateau)', () => {
    expect(overfitting(history(TRAIN, [0.9, 0.7, 0.6, 0.62, 0.64, 0.63, 0.65]), facts())).toBeNull();
  });

  it('is silent when both losses rise together (no gap: that is the learning rate, not memorising)', () => {
    expect(overfitting(history([1.0, 0.7, 0.6, 0.65, 0.72, 0.8, 0.9], [1.0, 0.7, 0.6, 0.66, 0.73, 0.82, 0.92]), facts())).toBeNull();
  });

  it('ignores epochs that were not validated', () => {
    // Validated every other epoch: only 3 validations, too few to call a trend.
    expect(overfitting(history(TRAIN.slice(0, 6), [null, 0.6, null, 0.7, null, 0.9]), facts())).toBeNull();
  });
});

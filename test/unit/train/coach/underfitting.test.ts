import { describe, expect, it } from 'vitest';
import { underfitting } from '../../../../electron/engine/train/coach/underfitting.js';
import { facts, healthy, history } from './histories.js';

// Three classes (ln 3 ≈ 1.10): the loss fell from 1.10 to about 0.80 and stays there.
const TRAIN = [1.1, 0.9, 0.83, 0.81, 0.8, 0.8, 0.79];
const VAL = [1.05, 0.92, 0.86, 0.85, 0.85, 0.84, 0.84];

describe('coach: underfitting', () => {
  it('fires when both losses are high and the training loss has stopped falling', () => {
    const f = underfitting(history(TRAIN, VAL), facts());
    expect(f).toMatchObject({ id: 'underfitting', severity: 'warning' });
    expect(f!.suggestions[0]).toMatchObject({ setting: 'modelKind', value: 'frozen-head' });
    expect(f!.suggestions.find((s) => s.setting === 'dropout')).toMatchObject({ value: 0.1 });
    expect(f!.suggestions.find((s) => s.setting === 'weightDecay')).toMatchObject({ value: 0.001 });
  });

  it('suggests fine-tuning when a frozen head underfits', () => {
    expect(underfitting(history(TRAIN, VAL), facts({ modelKind: 'frozen-head' }))!.suggestions[0]).toMatchObject({ setting: 'modelKind', value: 'fine-tune' });
  });

  it('is silent on a healthy run', () => {
    expect(underfitting(healthy, facts())).toBeNull();
  });

  it('is silent while the loss is still falling', () => {
    expect(underfitting(history([1.1, 0.95, 0.9, 0.85, 0.8, 0.76, 0.72], VAL), facts())).toBeNull();
  });

  it('is silent when the training loss is flat but low', () => {
    expect(underfitting(history([1.1, 0.5, 0.3, 0.3, 0.3, 0.3, 0.3], [1, 0.5, 0.35, 0.34, 0.34, 0.34, 0.34]), facts())).toBeNull();
  });

  it('leaves a loss that never moved to the learning-rate rule', () => {
    expect(underfitting(history([1.1, 1.09, 1.09, 1.08, 1.08, 1.08], [1.1, 1.1, 1.1, 1.1, 1.1, 1.1]), facts())).toBeNull();
  });
});

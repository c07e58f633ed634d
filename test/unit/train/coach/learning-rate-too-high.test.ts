import { describe, expect, it } from 'vitest';
import { learningRateTooHigh } from '../../../../electron/engine/train/coach/learning-rate-too-high.js';
import { facts, healthy, history } from './histories.js';

describe('coach: learning rate too high', () => {
  it('fires when the run diverged, proposing a third of the rate', () => {
    const f = learningRateTooHigh(history([1.1, 0.9]), facts({ diverged: true, settings: { learningRate: 0.03 } }));
    expect(f).toMatchObject({ id: 'learning-rate-too-high', severity: 'warning' });
    expect(f!.detail).toMatch(/blew up/);
    expect(f!.suggestions).toEqual([{ text: 'Lower the learning rate to a third (from 0.03 to 0.01).', setting: 'learningRate', value: 0.01 }]);
  });

  it('fires when an epoch recorded no loss (not a number)', () => {
    expect(learningRateTooHigh(history([1.1, 0.9, null]), facts())).not.toBeNull();
  });

  it('fires when the training loss climbs 20% above its lowest', () => {
    const f = learningRateTooHigh(history([1.1, 0.7, 0.6, 0.68, 0.75]), facts());
    expect(f!.detail).toMatch(/went back up, from 0\.60 to 0\.75/);
  });

  it('fires when the training loss jumps up sharply twice in the last 6 epochs', () => {
    const f = learningRateTooHigh(history([1.1, 0.8, 0.95, 0.7, 0.82, 0.66]), facts());
    expect(f!.detail).toMatch(/2 sharp rises/);
  });

  it('takes the rate from the history when the settings do not say', () => {
    const f = learningRateTooHigh(history([1.1, 0.7, 0.6, 0.68, 0.75], [], 0.3), facts({ settings: {} }));
    expect(f!.suggestions[0]).toMatchObject({ value: 0.1 });
  });

  it('is silent on a healthy run, and on small wiggles', () => {
    expect(learningRateTooHigh(healthy, facts())).toBeNull();
    expect(learningRateTooHigh(history([1.1, 0.8, 0.85, 0.7, 0.74, 0.66]), facts())).toBeNull();
  });
});

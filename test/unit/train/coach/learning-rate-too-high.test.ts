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

  it('is silent on the noise of a loss near zero, where a doubling is a tiny change', () => {
    // A run that fits its training images: 0.0003 -> 0.0009 triples the loss, by 0.0006.
    expect(learningRateTooHigh(history([1.2, 0.4, 0.05, 0.001, 0.0003, 0.0009, 0.0004, 0.0011]), facts())).toBeNull();
    // The same rise from a real height still fires.
    expect(learningRateTooHigh(history([1.2, 0.6, 0.3, 0.45]), facts())).not.toBeNull();
  });
});

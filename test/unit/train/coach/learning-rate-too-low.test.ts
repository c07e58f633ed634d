import { describe, expect, it } from 'vitest';
import { learningRateTooLow } from '../../../../electron/engine/train/coach/learning-rate-too-low.js';
import { facts, healthy, history } from './histories.js';

describe('coach: learning rate too low', () => {
  it('fires when the loss stays within 5% of where it started, near guessing', () => {
    const f = learningRateTooLow(history([1.1, 1.09, 1.08, 1.07, 1.06]), facts({ settings: { learningRate: 0.00001 } }));
    expect(f).toMatchObject({ id: 'learning-rate-too-low', severity: 'warning' });
    expect(f!.suggestions[0]).toEqual({ text: 'Raise the learning rate threefold (from 0.00001 to 0.00003).', setting: 'learningRate', value: 0.00003 });
  });

  it('is silent on a healthy run', () => {
    expect(learningRateTooLow(healthy, facts())).toBeNull();
  });

  it('is silent when the loss is flat but low from the start (transfer learning often is)', () => {
    expect(learningRateTooLow(history([0.3, 0.29, 0.29, 0.28]), facts())).toBeNull();
  });

  it('is silent with fewer than 3 epochs, and when the run diverged', () => {
    expect(learningRateTooLow(history([1.1, 1.09]), facts())).toBeNull();
    expect(learningRateTooLow(history([1.1, 1.09, 1.1]), facts({ diverged: true }))).toBeNull();
  });
});

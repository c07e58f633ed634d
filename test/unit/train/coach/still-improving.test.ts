import { describe, expect, it } from 'vitest';
import { stillImproving } from '../../../../electron/engine/train/coach/still-improving.js';
import { facts, healthy, history } from './histories.js';

describe('coach: still improving when training ended', () => {
  it('fires when the last epoch is the best and validation fell ≥ 2% over the last 3 validations', () => {
    const f = stillImproving(history([1, 0.8, 0.65, 0.55, 0.48, 0.43], [1, 0.82, 0.7, 0.62, 0.57, 0.53]), facts({ settings: { epochs: 6 } }, { bestEpoch: 6, epochsRun: 6 }));
    expect(f).toMatchObject({ id: 'still-improving', severity: 'info' });
    expect(f!.suggestions).toEqual([{ text: 'Train for more epochs (from 6 to 12).', setting: 'epochs', value: 12 }]);
  });

  it('is silent on a healthy run that levelled off', () => {
    expect(stillImproving(healthy, facts())).toBeNull();
  });

  it('is silent when early stopping ended the run', () => {
    expect(stillImproving(history([1, 0.8, 0.65, 0.55, 0.48, 0.43], [1, 0.82, 0.7, 0.62, 0.57, 0.53]), facts({}, { stoppedEarly: true, bestEpoch: 6, epochsRun: 6 }))).toBeNull();
  });
});

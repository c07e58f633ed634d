// The early-stopping decision against Keras's definitions (min_delta, patience,
// start_from_epoch, baseline), worked examples first, then properties over random
// histories: never a stop before startFromEpoch + patience, the best is the argmin/argmax,
// and replaying a prefix gives the decision Keras would have given at that epoch.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../electron/api/errors.js';
import {
  decideEarlyStop,
  type EarlyStopOptions,
  type MetricPoint,
} from '../../../../electron/engine/train/callbacks/early-stopping.js';

const series = (values: number[], first = 1): MetricPoint[] => values.map((value, i) => ({ epoch: first + i, value }));
const loss = (o: Partial<EarlyStopOptions> = {}): EarlyStopOptions => ({ monitor: 'val_loss', minDelta: 0, patience: 2, startFromEpoch: 0, ...o });

describe('decideEarlyStop: worked examples', () => {
  it('an empty history decides nothing', () => {
    expect(decideEarlyStop([], loss())).toEqual({ bestEpoch: null, bestValue: null, wait: 0, stop: false, improvedAt: null });
  });

  it('val_loss: stops after `patience` validations without a lower loss, keeping the best epoch', () => {
    const h = series([1.0, 0.8, 0.7, 0.75, 0.72]);
    expect(decideEarlyStop(h.slice(0, 3), loss())).toEqual({ bestEpoch: 3, bestValue: 0.7, wait: 0, stop: false, improvedAt: 3 });
    expect(decideEarlyStop(h.slice(0, 4), loss())).toEqual({ bestEpoch: 3, bestValue: 0.7, wait: 1, stop: false, improvedAt: null });
    expect(decideEarlyStop(h, loss())).toEqual({ bestEpoch: 3, bestValue: 0.7, wait: 2, stop: true, improvedAt: null });
  });

  it('val_accuracy is maximised', () => {
    const d = decideEarlyStop(series([0.5, 0.7, 0.65, 0.6]), { ...loss(), monitor: 'val_accuracy' });
    expect(d).toMatchObject({ bestEpoch: 2, bestValue: 0.7, wait: 2, stop: true });
  });

  it('minDelta: a change no larger than minDelta is no improvement', () => {
    const h = series([1.0, 0.95, 0.9]);
    // 0.95 + 0.1 < 1.0 is false, 0.9 + 0.1 < 1.0 is false (equal is not better).
    expect(decideEarlyStop(h, loss({ minDelta: 0.1 }))).toMatchObject({ bestEpoch: 1, wait: 2, stop: true });
    expect(decideEarlyStop(h, loss({ minDelta: 0.04 }))).toMatchObject({ bestEpoch: 3, wait: 0, stop: false });
  });

  it('patience 0 stops at the first validation that does not improve', () => {
    expect(decideEarlyStop(series([1, 0.9, 0.95]), loss({ patience: 0 }))).toMatchObject({ bestEpoch: 2, stop: true, wait: 1 });
  });

  it('startFromEpoch: earlier epochs are neither best nor counted', () => {
    const h = series([0.1, 0.9, 0.8, 0.85, 0.86, 0.87]);
    const d = decideEarlyStop(h, loss({ startFromEpoch: 2, patience: 3 }));
    expect(d).toMatchObject({ bestEpoch: 3, bestValue: 0.8, wait: 3, stop: true });
    expect(decideEarlyStop(h.slice(0, 5), loss({ startFromEpoch: 2, patience: 3 })).stop).toBe(false);
  });

  it('baseline: the best is still tracked, but the wait restarts only on values that beat the baseline', () => {
    const h = series([0.9, 0.8, 0.7]);
    const d = decideEarlyStop(h, loss({ baseline: 0.5, patience: 3 }));
    expect(d).toMatchObject({ bestEpoch: 3, bestValue: 0.7, wait: 3, improvedAt: 3, stop: false });
    // Improving but never beating the baseline: Keras stops after `patience` validations.
    expect(decideEarlyStop(series([0.9, 0.8, 0.7, 0.75]), loss({ baseline: 0.5, patience: 3 })).stop).toBe(true);
    expect(decideEarlyStop(series([0.9, 0.4, 0.45]), loss({ baseline: 0.5, patience: 3 }))).toMatchObject({ wait: 1, stop: false });
  });

  it('a NaN never improves, and a recovery after the stop point resets the wait', () => {
    expect(decideEarlyStop(series([0.5, Number.NaN, Number.NaN]), loss())).toMatchObject({ bestEpoch: 1, wait: 2, stop: true });
    expect(decideEarlyStop(series([0.5, 0.6, 0.7, 0.4]), loss())).toMatchObject({ bestEpoch: 4, wait: 0, stop: false, improvedAt: 4 });
  });

  it('like Keras, epoch 0 never stops (its first non-improving value only starts the wait)', () => {
    expect(decideEarlyStop(series([Number.NaN], 0), loss({ patience: 0 })).stop).toBe(false);
    expect(decideEarlyStop(series([Number.NaN], 1), loss({ patience: 0 })).stop).toBe(true);
  });

  it('refuses options out of range naming the field, and a history whose epochs do not increase', () => {
    expect(() => decideEarlyStop([], loss({ patience: -1 }))).toThrow(ApiError);
    expect(() => decideEarlyStop([], loss({ patience: 1.5 }))).toThrow(/patience/);
    expect(() => decideEarlyStop([], loss({ minDelta: -0.1 }))).toThrow(/minDelta/);
    expect(() => decideEarlyStop([{ epoch: 2, value: 1 }, { epoch: 2, value: 1 }], loss())).toThrow(/epochs must increase/);
  });
});

/** Keras's EarlyStopping.on_epoch_end, transcribed line by line, as an independent oracle. */
function kerasStopEpoch(history: MetricPoint[], o: EarlyStopOptions): number | null {
  const less = o.monitor === 'val_loss';
  const minDelta = less ? -o.minDelta : o.minDelta;
  const op = (a: number, b: number): boolean => (less ? a < b : a > b);
  const improves = (v: number, ref: number): boolean => op(v - minDelta, ref);
  let best = less ? Infinity : -Infinity;
  let wait = 0;
  for (const { epoch, value } of history) {
    if (epoch < o.startFromEpoch) continue;
    wait += 1;
    if (improves(value, best)) {
      best = value;
      if (o.baseline === undefined || improves(value, o.baseline)) wait = 0;
      continue;
    }
    if (wait >= o.patience && epoch > 0) return epoch;
  }
  return null;
}

const options = fc.record(
  {
    monitor: fc.constantFrom('val_loss' as const, 'val_accuracy' as const),
    minDelta: fc.constantFrom(0, 0.001, 0.01, 0.05),
    patience: fc.integer({ min: 0, max: 6 }),
    startFromEpoch: fc.integer({ min: 0, max: 8 }),
    baseline: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  },
  { requiredKeys: ['monitor', 'minDelta', 'patience', 'startFromEpoch'] },
);
// Values on a coarse grid so ties and near-ties (the minDelta edge) actually occur.
const values = fc.array(fc.integer({ min: 0, max: 40 }).map((v) => v / 40), { minLength: 1, maxLength: 30 });

describe('decideEarlyStop: properties', () => {
  it('agrees with a line-by-line transcription of Keras at every prefix of the history', () => {
    fc.assert(
      fc.property(values, options, (vs, o) => {
        const h = series(vs);
        const firstStop = kerasStopEpoch(h, o);
        // The run ends at Keras's first stop, so compare the decision at every epoch up to it.
        const end = firstStop === null ? h.length : h.findIndex((p) => p.epoch === firstStop) + 1;
        for (let k = 1; k <= end; k++) {
          expect(decideEarlyStop(h.slice(0, k), o).stop).toBe(firstStop === h[k - 1]!.epoch);
        }
      }),
    );
  });

  it('never stops before startFromEpoch + patience (− 1 with a baseline: the first counted value then need not restart the wait)', () => {
    fc.assert(
      fc.property(values, options, (vs, o) => {
        const h = series(vs);
        const earliest = o.startFromEpoch + o.patience - (o.baseline === undefined ? 0 : 1);
        for (let k = 1; k <= h.length; k++) {
          if (decideEarlyStop(h.slice(0, k), o).stop) expect(h[k - 1]!.epoch).toBeGreaterThanOrEqual(earliest);
        }
      }),
    );
  });

  it('with minDelta 0, bestEpoch is the first argmin of val_loss (argmax of val_accuracy) among counted epochs', () => {
    fc.assert(
      fc.property(values, options, (vs, o) => {
        const h = series(vs);
        const d = decideEarlyStop(h, { ...o, minDelta: 0 });
        const counted = h.filter((p) => p.epoch >= o.startFromEpoch);
        if (counted.length === 0) {
          expect(d.bestEpoch).toBeNull();
          return;
        }
        const better = (a: number, b: number): boolean => (o.monitor === 'val_loss' ? a < b : a > b);
        const best = counted.reduce((a, p) => (better(p.value, a.value) ? p : a));
        expect(d.bestEpoch).toBe(best.epoch);
        expect(d.bestValue).toBe(best.value);
      }),
    );
  });

  it('improvedAt is the last epoch exactly when that epoch became the best', () => {
    fc.assert(
      fc.property(values, options, (vs, o) => {
        const h = series(vs);
        const d = decideEarlyStop(h, o);
        const before = decideEarlyStop(h.slice(0, -1), o);
        const last = h.at(-1)!.epoch;
        expect(d.improvedAt === last).toBe(d.bestEpoch === last && before.bestEpoch !== last);
        if (d.improvedAt === null) expect(d.bestEpoch).toBe(before.bestEpoch);
      }),
    );
  });
});

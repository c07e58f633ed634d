// The Train dashboard's curve data: smoothing, the train/validation gap band, the
// best-epoch and early-stop markers, and merging batches and epochs onto one x axis.
import { describe, expect, it } from 'vitest';
import {
  accuracyChartData,
  appendBatch,
  batchesPerEpochOf,
  batchX,
  gapBounds,
  lossChartData,
  markersOf,
  smoothEma,
  type BatchPoint,
  type EpochPoint,
} from '../../../renderer/src/views/train/charts/chart-data.js';

function epoch(n: number, trainLoss: number | null, valLoss: number | null, trainAccuracy = 0.5, valAccuracy = 0.4): EpochPoint {
  return { epoch: n, trainLoss, valLoss, trainAccuracy, valAccuracy };
}

describe('smoothEma', () => {
  it('starts at the first value (debiased) and follows a step with the documented factor', () => {
    const out = smoothEma([2, 2, 2, 0, 0], 0.5);
    expect(out[0]).toBeCloseTo(2);
    expect(out[2]).toBeCloseTo(2);
    // The definition, step by step: avg = f*avg + (1-f)*v, shown as avg / (1 - f^n).
    let avg = 0;
    const ref: number[] = [];
    [2, 2, 2, 0, 0].forEach((v, i) => {
      avg = 0.5 * avg + 0.5 * v;
      ref.push(avg / (1 - 0.5 ** (i + 1)));
    });
    out.forEach((v, i) => expect(v).toBeCloseTo(ref[i]!, 12));
    expect(out[3]!).toBeLessThan(2);
    expect(out[4]!).toBeLessThan(out[3]!);
    expect(out[4]!).toBeGreaterThan(0);
  });

  it('keeps a constant series constant and a null a null without moving the average', () => {
    expect(smoothEma([1, 1, 1], 0.9).map((v) => v!.toFixed(9))).toEqual(['1.000000000', '1.000000000', '1.000000000']);
    const out = smoothEma([1, null, 3], 0.5);
    expect(out[1]).toBeNull();
    expect(smoothEma([1, 3], 0.5)[1]).toBeCloseTo(out[2]!, 12);
    expect(smoothEma([NaN, 4], 0.9)).toEqual([null, 4]);
  });

  it('with factor 0 is the raw series; a factor outside [0, 1) is refused', () => {
    expect(smoothEma([3, 1, 2], 0)).toEqual([3, 1, 2]);
    expect(() => smoothEma([1], 1)).toThrow(/smoothing factor/);
    expect(() => smoothEma([1], -0.1)).toThrow(/smoothing factor/);
  });
});

describe('gapBounds', () => {
  it('takes the higher loss as the upper edge either way round, null where a loss is missing', () => {
    const { upper, lower } = gapBounds([1, 0.5, null, 0.2], [0.8, 0.9, 0.7, null]);
    expect(upper).toEqual([1, 0.9, null, null]);
    expect(lower).toEqual([0.8, 0.5, null, null]);
  });
});

describe('markersOf', () => {
  it('marks the best epoch, and the last epoch only when early stopping ended the run', () => {
    expect(markersOf(3, true, 6)).toEqual([
      { x: 3, kind: 'best', label: 'best: epoch 3' },
      { x: 6, kind: 'early-stop', label: 'stopped early' },
    ]);
    expect(markersOf(4, false, 8)).toEqual([{ x: 4, kind: 'best', label: 'best: epoch 4' }]);
    expect(markersOf(null, false, 0)).toEqual([]);
  });
});

describe('batch positions', () => {
  it('places batch b of B in epoch e at (e - 1) + b / B, so the last batch meets its epoch', () => {
    expect(batchX({ epoch: 1, batch: 2, loss: 1, accuracy: 0 }, 4)).toBe(0.5);
    expect(batchX({ epoch: 3, batch: 4, loss: 1, accuracy: 0 }, 4)).toBe(3);
    const seen: BatchPoint[] = [
      { epoch: 1, batch: 5, loss: 1, accuracy: 0 },
      { epoch: 1, batch: 10, loss: 1, accuracy: 0 },
    ];
    expect(batchesPerEpochOf(seen)).toBe(10);
    expect(batchesPerEpochOf(seen, 12)).toBe(12);
    expect(batchesPerEpochOf([])).toBe(1);
  });
});

describe('lossChartData', () => {
  it('merges batches and epochs onto one sorted x with nulls where a series has no point', () => {
    const batches: BatchPoint[] = [
      { epoch: 1, batch: 1, loss: 2, accuracy: 0.1 },
      { epoch: 1, batch: 2, loss: 1, accuracy: 0.2 },
      { epoch: 2, batch: 1, loss: 0.8, accuracy: 0.3 },
    ];
    const epochs = [epoch(1, 1.2, 1.5), epoch(2, 0.7, 0.6)];
    const [x, upper, lower, batchLoss, train, val] = lossChartData(epochs, batches, 2, 0.5);
    expect(x).toEqual([0.5, 1, 1.5, 2]);
    expect(batchLoss).toEqual(smoothEma([2, 1, 0.8], 0.5).flatMap((v, i) => (i === 2 ? [v, null] : [v])));
    expect(train).toEqual([null, 1.2, null, 0.7]);
    expect(val).toEqual([null, 1.5, null, 0.6]);
    expect(upper).toEqual([null, 1.5, null, 0.7]);
    expect(lower).toEqual([null, 1.2, null, 0.6]);
    for (const col of [batchLoss, train, val, upper, lower]) expect(col).toHaveLength(x.length);
  });

  it('draws epochs alone when there are no batches, and nothing from nothing', () => {
    const [x, , , batchLoss, train] = lossChartData([epoch(2, 0.5, null), epoch(1, 1, 1)], [], 1);
    expect(x).toEqual([1, 2]);
    expect(batchLoss).toEqual([null, null]);
    expect(train).toEqual([1, 0.5]);
    expect(lossChartData([], [], 1).every((c) => c.length === 0)).toBe(true);
  });

  it('merges 4,000 batches and 30 epochs onto one x, each epoch on its last batch', () => {
    const batches: BatchPoint[] = [];
    for (let e = 1; e <= 30; e++) for (let b = 1; b <= 133; b++) batches.push({ epoch: e, batch: b, loss: 1 / (e + b), accuracy: 0.5 });
    const epochs = Array.from({ length: 30 }, (_, i) => epoch(i + 1, 1 / (i + 1), 1.2 / (i + 1)));
    // Speed is not asserted here (timing on a shared machine is noise); the size is what
    // keeps the chart cheap: no point beyond one per batch.
    const [x, , , batchLoss, train] = lossChartData(epochs, batches, 133);
    expect(x).toHaveLength(batches.length);
    expect(batchLoss.filter((v) => v !== null)).toHaveLength(batches.length);
    expect(train.filter((v) => v !== null)).toHaveLength(30);
    expect(x.at(-1)).toBe(30);
  });
});

describe('accuracyChartData', () => {
  it('orders epochs and maps a non-finite accuracy to null', () => {
    expect(accuracyChartData([epoch(2, 1, 1, 0.8, 0.7), epoch(1, 1, 1, NaN, 0.5)])).toEqual([
      [1, 2],
      [null, 0.8],
      [0.5, 0.7],
    ]);
  });
});

describe('appendBatch', () => {
  const p = (epoch: number, batch: number): BatchPoint => ({ epoch, batch, loss: epoch + batch / 10, accuracy: 0 });

  it('appends in order and drops the later points when a resume restarts an earlier epoch', () => {
    let kept: BatchPoint[] = [];
    for (const b of [p(1, 1), p(1, 2), p(2, 1), p(2, 2)]) kept = appendBatch(kept, b);
    expect(kept).toHaveLength(4);
    kept = appendBatch(kept, p(2, 1));
    expect(kept.map((b) => [b.epoch, b.batch])).toEqual([
      [1, 1],
      [1, 2],
      [2, 1],
    ]);
  });

  it('halves past the limit, keeping the newest, so the size stays bounded', () => {
    let kept: BatchPoint[] = [];
    for (let i = 1; i <= 1000; i++) kept = appendBatch(kept, p(1, i), 100);
    expect(kept.length).toBeLessThanOrEqual(100);
    expect(kept.length).toBeGreaterThan(40);
    expect(kept.at(-1)).toEqual(p(1, 1000));
    expect(kept[0]).toEqual(p(1, 1));
    for (let i = 1; i < kept.length; i++) expect(kept[i]!.batch).toBeGreaterThan(kept[i - 1]!.batch);
  });
});

// Overlaid curves of runs with different epoch counts on one epoch axis, and the colours
// a run keeps while others join and leave the comparison.
import { describe, expect, it } from 'vitest';
import type { EpochPoint } from '../../../renderer/src/views/train/charts/chart-data.js';
import { freeColourIndex, overlayData, overlayXMax, runColour, RUN_COLOURS } from '../../../renderer/src/views/runs/overlay-data.js';
import { legendValue, overlayOptions } from '../../../renderer/src/views/runs/overlay-options.js';

function epochs(values: (number | null)[], from = 1): EpochPoint[] {
  return values.map((v, i) => ({ epoch: from + i, trainLoss: v === null ? null : v + 1, trainAccuracy: null, valLoss: v, valAccuracy: v === null ? null : v / 2 }));
}

describe('overlayData', () => {
  it('aligns runs of 3 and 5 epochs on the union of epochs, null where a run did not reach', () => {
    const data = overlayData([epochs([0.9, 0.8, 0.7]), epochs([1, 0.9, 0.6, 0.5, 0.4])], 'valLoss');
    expect(data[0]).toEqual([1, 2, 3, 4, 5]);
    expect(data[1]).toEqual([0.9, 0.8, 0.7, null, null]);
    expect(data[2]).toEqual([1, 0.9, 0.6, 0.5, 0.4]);
    expect(overlayXMax(data)).toBe(5);
  });

  it('picks the asked metric and turns NaN into a gap; epochs out of order or skipped still land right', () => {
    const a: EpochPoint[] = [
      { epoch: 4, trainLoss: 2, trainAccuracy: null, valLoss: 0.4, valAccuracy: 0.6 },
      { epoch: 2, trainLoss: 3, trainAccuracy: null, valLoss: Number.NaN, valAccuracy: 0.5 },
    ];
    const b = epochs([0.7, 0.6, 0.5]);
    expect(overlayData([a, b], 'valAccuracy')).toEqual([
      [1, 2, 3, 4],
      [null, 0.5, null, 0.6],
      [0.35, 0.3, 0.25, null],
    ]);
    expect(overlayData([a, b], 'valLoss')[1]).toEqual([null, null, null, 0.4]);
    expect(overlayData([a, b], 'trainLoss')[1]).toEqual([null, 3, null, 2]);
  });

  it('has an axis of at least one epoch when no run has any', () => {
    const data = overlayData([[], []], 'valLoss');
    expect(data).toEqual([[], [], []]);
    expect(overlayXMax(data)).toBe(1);
  });
});

describe('colours', () => {
  it('gives a new run the first colour no compared run has', () => {
    expect(freeColourIndex([])).toBe(0);
    expect(freeColourIndex([0, 2])).toBe(1);
    expect(freeColourIndex([1, 0, 2])).toBe(3);
    const all = RUN_COLOURS.map((_, i) => i);
    expect(freeColourIndex(all)).toBe(RUN_COLOURS.length);
    expect(runColour(RUN_COLOURS.length)).toBe(runColour(0));
    expect(new Set(RUN_COLOURS).size).toBe(RUN_COLOURS.length);
  });
});

describe('overlayOptions', () => {
  const palette = { text: '#000', muted: '#555', grid: '#ddd', best: '#0a0', earlyStop: '#a00', font: 'sans-serif' };
  it('has one line per run, named and coloured, after the epoch series', () => {
    const opts = overlayOptions('accuracy', [{ label: 'A', colour: '#111' }, { label: 'B', colour: '#222' }], { width: 300, height: 200 }, () => 7, palette);
    expect(opts.series.map((s) => s.label)).toEqual(['Epoch', 'A', 'B']);
    expect(opts.series.slice(1).map((s) => s.stroke)).toEqual(['#111', '#222']);
    const range = opts.scales!.x!.range as () => [number, number];
    expect(range()).toEqual([0, 7]);
  });
  it('reads values for the legend as percent or loss', () => {
    expect(legendValue('accuracy', 0.4567)).toBe('45.7%');
    expect(legendValue('loss', 1.23456)).toBe('1.235');
    expect(legendValue('loss', null)).toBe('—');
  });
});

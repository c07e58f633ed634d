import { describe, expect, it } from 'vitest';
import { classImbalance } from '../../../../electron/engine/train/coach/class-imbalance.js';
import { facts, healthy } from './histories.js';

describe('coach: class imbalance', () => {
  it('fires above 3 to 1 and names the largest and smallest class', () => {
    const f = classImbalance(healthy, facts({ classCounts: [{ class: 'a', train: 130 }, { class: 'b', train: 60 }, { class: 'c', train: 40 }] }));
    expect(f).toMatchObject({ id: 'class-imbalance', severity: 'warning' });
    expect(f!.detail).toMatch(/a has 130 training images, c only 40 \(3\.3 to 1\)/);
  });

  it('uses the ratio given in the facts when there is one', () => {
    expect(classImbalance(healthy, facts({ imbalanceRatio: 5 }))).not.toBeNull();
  });

  it('is silent at exactly 3 to 1 and on balanced classes', () => {
    expect(classImbalance(healthy, facts())).toBeNull();
    expect(classImbalance(healthy, facts({ classCounts: [{ class: 'a', train: 120 }, { class: 'b', train: 40 }] }))).toBeNull();
  });
});

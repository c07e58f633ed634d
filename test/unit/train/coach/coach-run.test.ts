// The coach as a whole: silent on a healthy run, every rule silent there one by one,
// and warnings listed before information.
import { describe, expect, it } from 'vitest';
import { coachRun, COACH_RULES } from '../../../../electron/engine/train/coach/coach-run.js';
import { facts, healthy, history } from './histories.js';

describe('coachRun', () => {
  it('says nothing about a healthy run', () => {
    expect(coachRun(healthy, facts())).toEqual([]);
  });

  it('every rule is silent on the healthy run', () => {
    for (const rule of COACH_RULES) expect(rule(healthy, facts()), rule.name).toBeNull();
  });

  it('says nothing before there is a history', () => {
    expect(coachRun([], facts({}, { bestEpoch: null, epochsRun: 0 }))).toEqual([]);
  });

  it('lists warnings before information, each with plain words and settings to apply', () => {
    // Overfitting that early stopping caught, on imbalanced data.
    const h = history([1.0, 0.6, 0.4, 0.25, 0.15, 0.1, 0.06], [0.9, 0.7, 0.6, 0.65, 0.72, 0.8, 0.9]);
    const f = facts(
      { classCounts: [{ class: 'a', train: 200 }, { class: 'b', train: 40 }] },
      { stoppedEarly: true, bestEpoch: 3, epochsRun: 7, patience: 4 },
    );
    const found = coachRun(h, f);
    expect(found.map((x) => x.id)).toEqual(['class-imbalance', 'overfitting', 'early-stop-kept']);
    expect(found.map((x) => x.severity)).toEqual(['warning', 'warning', 'info']);
    for (const x of found) {
      expect(x.title.length).toBeGreaterThan(10);
      expect(x.detail.length).toBeGreaterThan(40);
      expect(x.suggestions.length).toBeGreaterThan(0);
    }
  });
});

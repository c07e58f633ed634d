// The ensemble's prediction is the mean of its members' probabilities: exact means,
// rows that still sum to 1, and refusals (no members, unequal lengths, a bad class count).
import { describe, expect, it } from 'vitest';
import { averageProbabilities } from '../../../electron/engine/evaluate/ensemble-average.js';
import { accuracyOf, meanCrossEntropy } from '../../../electron/engine/evaluate/ensemble-scores.js';

/** n random probability rows of k classes (a seeded LCG, so the test is repeatable). */
function randomRows(n: number, k: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let c = 0; c < k; c++) sum += out[i * k + c] = next() + 1e-3;
    for (let c = 0; c < k; c++) out[i * k + c]! /= sum;
  }
  return out;
}

describe('averageProbabilities', () => {
  it('is the element-wise mean of the members', () => {
    const a = Float32Array.from([0.9, 0.1, 0.2, 0.8]);
    const b = Float32Array.from([0.5, 0.5, 0.6, 0.4]);
    const c = Float32Array.from([0.1, 0.9, 0.1, 0.9]);
    const mean = averageProbabilities([a, b, c], 2);
    expect(Array.from(mean)).toEqual([0.5, 0.5, 0.3, 0.7].map((x) => Math.fround(x)));
  });

  it('returns a copy equal to the input for one member, and does not change its inputs', () => {
    const a = randomRows(5, 3, 1);
    const before = Float32Array.from(a);
    const mean = averageProbabilities([a], 3);
    expect(mean).not.toBe(a);
    expect(Array.from(mean)).toEqual(Array.from(a));
    expect(Array.from(a)).toEqual(Array.from(before));
  });

  it('keeps every row a probability distribution (rows sum to 1)', () => {
    const k = 7;
    const members = [1, 2, 3, 4, 5].map((seed) => randomRows(50, k, seed));
    const mean = averageProbabilities(members, k);
    for (let i = 0; i < 50; i++) {
      let sum = 0;
      for (let c = 0; c < k; c++) {
        const v = mean[i * k + c]!;
        expect(v).toBeGreaterThan(0);
        sum += v;
      }
      expect(sum).toBeCloseTo(1, 5);
    }
  });

  it('can be right where the majority of members is wrong (a confident member outweighs unsure ones)', () => {
    // Two members lean slightly to class 1, one is sure of class 0: the average says 0.
    const mean = averageProbabilities([Float32Array.from([0.45, 0.55]), Float32Array.from([0.45, 0.55]), Float32Array.from([0.99, 0.01])], 2);
    expect(accuracyOf(mean, 2, [0])).toBe(1);
  });

  it('refuses an empty list, unequal lengths, lengths that are not whole rows and a bad class count', () => {
    expect(() => averageProbabilities([], 3)).toThrow(/no members to average/);
    expect(() => averageProbabilities([new Float32Array(6), new Float32Array(9)], 3)).toThrow(/member 1 has 9 values but member 0 has 6/);
    expect(() => averageProbabilities([new Float32Array(7)], 3)).toThrow(/7 values, not a multiple of 3 classes/);
    expect(() => averageProbabilities([new Float32Array(6)], 0)).toThrow(/numClasses must be a positive integer, got 0/);
    expect(() => averageProbabilities([new Float32Array(6)], 1.5)).toThrow(/numClasses/);
  });
});

describe('accuracy and loss of averaged probabilities', () => {
  it('counts arg-max hits and averages −log p(label) as training does', () => {
    const p = Float32Array.from([0.7, 0.3, 0.4, 0.6, 0.9, 0.1]);
    expect(accuracyOf(p, 2, [0, 0, 0])).toBeCloseTo(2 / 3, 10);
    expect(meanCrossEntropy(p, 2, [0, 1, 0])).toBeCloseTo(-(Math.log(0.7 + 1e-7) + Math.log(0.6 + 1e-7) + Math.log(0.9 + 1e-7)) / 3, 5);
    expect(accuracyOf(p, 2, [])).toBeNull();
    expect(meanCrossEntropy(p, 2, [])).toBeNull();
  });
});

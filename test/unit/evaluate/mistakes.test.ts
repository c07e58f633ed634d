// The most confident mistakes: only wrong predictions, surest first, at most 20.
import { describe, expect, it } from 'vitest';
import { MISTAKES_SHOWN, mostConfidentMistakes, type Prediction } from '../../../electron/engine/evaluate/mistakes.js';

const p = (imageId: number, actual: string, predicted: string, confidence: number): Prediction => ({ imageId, actual, predicted, confidence, probabilities: [] });

describe('mostConfidentMistakes', () => {
  it('keeps only wrong predictions, most confident first, ties by image id', () => {
    const out = mostConfidentMistakes([p(1, 'a', 'a', 0.99), p(2, 'a', 'b', 0.6), p(3, 'b', 'a', 0.9), p(4, 'b', 'a', 0.6), p(5, 'b', 'b', 0.5)]);
    expect(out.map((x) => x.imageId)).toEqual([3, 2, 4]);
  });

  it(`shows at most ${MISTAKES_SHOWN}`, () => {
    const many = Array.from({ length: 30 }, (_, i) => p(i + 1, 'a', 'b', i / 30));
    const out = mostConfidentMistakes(many);
    expect(out).toHaveLength(20);
    expect(out[0]!.imageId).toBe(30);
    expect(out[19]!.imageId).toBe(11);
  });
});

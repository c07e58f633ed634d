import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveSeed, seedOfText, shuffledIndices } from '../../../../electron/engine/train/run/seeds.js';

describe('run seeds', () => {
  it('derive the same seed from the same parts and different seeds from different parts', () => {
    expect(deriveSeed(7, 1, 2)).toBe(deriveSeed(7, 1, 2));
    const seen = new Set<number>();
    for (let e = 1; e <= 50; e++) for (let b = 0; b < 20; b++) seen.add(deriveSeed(7, e, b));
    expect(seen.size).toBe(1000);
    expect(deriveSeed(7, 1, 2)).not.toBe(deriveSeed(7, 2, 1));
  });

  it('shuffle without replacement: a permutation, the same for the same seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (n, seed) => {
        const a = shuffledIndices(n, seed);
        expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(shuffledIndices(n, seed)).toEqual(a);
      }),
    );
    expect(shuffledIndices(100, 1)).not.toEqual(shuffledIndices(100, 2));
  });

  it('seed an image view by its content hash and view number', () => {
    const sha = 'ab'.repeat(32);
    expect(seedOfText(sha, 1)).toBe(seedOfText(sha, 1));
    expect(seedOfText(sha, 1)).not.toBe(seedOfText(sha, 2));
    expect(seedOfText(sha, 1)).not.toBe(seedOfText('cd'.repeat(32), 1));
  });
});

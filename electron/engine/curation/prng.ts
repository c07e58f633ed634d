// A small seeded PRNG (mulberry32): the same seed gives the same sequence on every
// machine, which is what "show the seed, draw the same sample again" needs. Not for
// anything secret. 32 bits of state are plenty for shuffling up to millions of items
// a few at a time; the modulo bias of floor(u · n) is below n / 2^32.
import { randomInt } from 'node:crypto';

export type Random = () => number;

export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A fresh seed for "shuffle again": unpredictable, in 0 … 2^32 − 1 so it fits the API and a person can read it. */
export function newSeed(): number {
  return randomInt(0, 2 ** 32 - 1);
}

/**
 * The first `count` items of a seeded Fisher–Yates shuffle of `items` (which is not
 * changed). Drawing without replacement, so no item appears twice; a longer prefix with
 * the same seed extends a shorter one, so pages of one sample never repeat an image.
 */
export function shuffledPrefix(items: ArrayLike<number>, count: number, seed: number): number[] {
  const a = Float64Array.from(items);
  const n = Math.min(count, a.length);
  const rand = mulberry32(seed);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rand() * (a.length - i));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return Array.from(a.subarray(0, n));
}

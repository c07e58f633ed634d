// Every random draw of a run derives from its one recorded seed, by position: the
// shuffle of epoch e, the augmentation of batch b. A resumed run therefore draws
// exactly what the uninterrupted run would have, without saving generator state.
import { mulberry32 } from '../../curation/prng.js';

/** A 32-bit seed from a tuple of numbers (FNV-1a over their 32-bit words, then mixed). */
export function deriveSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    let v = p >>> 0;
    for (let k = 0; k < 4; k++) {
      h ^= v & 0xff;
      h = Math.imul(h, 0x01000193);
      v >>>= 8;
    }
  }
  return mulberry32(h)() * 2 ** 32 >>> 0;
}

/** 0 … n−1 in a seeded random order (Fisher–Yates). */
export function shuffledIndices(n: number, seed: number): number[] {
  const random = mulberry32(seed);
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A seed from a string, e.g. an image's content hash, so its augmented views are the same in every run. */
export function seedOfText(text: string, salt: number): number {
  let h = 0x811c9dc5 ^ salt;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return deriveSeed(h >>> 0, salt);
}

// Synthetic images for the split engine's tests: what the store would load, without a
// database. Hashes are random 64-bit values (two random hashes are ~32 bits apart, so
// they are never near duplicates by accident) unless a test plants near copies.
import type { SplitImage } from '../../../electron/engine/splits/types.js';

let nextSha = 1;

/** A distinct content hash per call. */
export function uniqueSha(): string {
  return (nextSha++).toString(16).padStart(64, '0');
}

/** A deterministic "random" 16-hex-digit hash from a number (splitmix-style mixing). */
export function hashFrom(n: number): string {
  const mix = (x: number) => {
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
    return (x ^ (x >>> 16)) >>> 0;
  };
  return mix(n * 2 + 1).toString(16).padStart(8, '0') + mix(n * 2 + 2 + 0x9e3779b9).toString(16).padStart(8, '0');
}

/** The hash with `bits` of its lowest bits flipped: a near copy at that distance. */
export function flipBits(hex: string, bits: number): string {
  let lo = parseInt(hex.slice(8), 16) >>> 0;
  for (let b = 0; b < bits; b++) lo = (lo ^ (1 << b)) >>> 0;
  return hex.slice(0, 8) + lo.toString(16).padStart(8, '0');
}

export function image(id: number, classId: number, extra: Partial<SplitImage> = {}): SplitImage {
  return {
    id,
    classId,
    sha256: uniqueSha(),
    phash: hashFrom(id),
    relPath: `c${classId}/img_${id}.jpg`,
    group: null,
    capturedAt: null,
    ...extra,
  };
}

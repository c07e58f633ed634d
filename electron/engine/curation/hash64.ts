// 64-bit perceptual hashes as two 32-bit halves in typed arrays: JavaScript has no fast
// 64-bit integers (BigInt is ~50× slower), and the near-duplicate search compares
// millions of pairs.

export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Eight hex digits from `from` as an unsigned 32-bit number; no substrings, as 100,000 hashes are read at once. */
export function hexWord(hex: string, from: number): number {
  let v = 0;
  for (let k = from; k < from + 8; k++) {
    const c = hex.charCodeAt(k);
    // '0'–'9' are 48–57; 'a'–'f' (and 'A'–'F', lowered by | 32) are 97–102.
    v = (v << 4) | (c <= 57 ? c - 48 : (c | 32) - 87);
  }
  return v >>> 0;
}

/** 16 hex characters (bit 63 first, as the importer writes them) → high and low halves. */
export function parseHash(hex: string): [number, number] {
  return [hexWord(hex, 0), hexWord(hex, 8)];
}

export function hamming(hiA: number, loA: number, hiB: number, loB: number): number {
  return popcount32((hiA ^ hiB) >>> 0) + popcount32((loA ^ loB) >>> 0);
}

function lowMask(len: number): number {
  return len >= 32 ? 0xffffffff : (1 << len) - 1;
}

/**
 * Bits [start, start + len) of the 64-bit value, bit 0 being the most significant bit
 * of `hi`; len ≤ 31. Used to cut a hash into the substrings of the multi-index.
 */
export function bitSlice(hi: number, lo: number, start: number, len: number): number {
  const end = start + len;
  if (end <= 32) return ((hi >>> (32 - end)) & lowMask(len)) >>> 0;
  if (start >= 32) return ((lo >>> (64 - end)) & lowMask(len)) >>> 0;
  const lowLen = end - 32;
  return (((hi & lowMask(32 - start)) << lowLen) | (lo >>> (32 - lowLen))) >>> 0;
}

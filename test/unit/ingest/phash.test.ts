import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { greyPlane32, hammingDistance, phash, phashOf32 } from '../../../electron/engine/ingest/phash.js';
import { picture, pictureRgb } from '../../fixtures/images/make-images.js';

/** The pHash the importer would compute: decode at ≤256 px, then hash. */
async function hashOf(bytes: Buffer): Promise<string> {
  const { data, info } = await sharp(bytes)
    .rotate()
    .resize({ width: 256, height: 256, fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return phash({ data, width: info.width, height: info.height, channels: info.channels });
}

describe('hammingDistance', () => {
  it('counts differing bits', () => {
    expect(hammingDistance('0000000000000000', '0000000000000000')).toBe(0);
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('8000000000000001', '0000000000000000')).toBe(2);
    expect(hammingDistance('00000000f0000000', '0000000000000000')).toBe(4);
  });
  it('refuses strings that are not hashes', () => {
    expect(() => hammingDistance('abc', '0000000000000000')).toThrow(/16 hex/);
  });
});

describe('greyPlane32', () => {
  const plane = (data: number[], width: number, height: number, channels: number) =>
    greyPlane32({ data: Uint8Array.from(data), width, height, channels });

  it('keeps a flat image flat when scaling down or up', () => {
    for (const [w, h] of [
      [100, 60],
      [28, 28],
      [7, 3],
    ] as const) {
      const out = plane(new Array(w * h).fill(100), w, h, 1);
      expect(out.length).toBe(32 * 32);
      for (const v of out) expect(v).toBeCloseTo(100, 6);
    }
  });

  it('averages areas: a left/right split stays split', () => {
    const out = plane(Array.from({ length: 64 * 64 }, (_, i) => (i % 64 < 32 ? 0 : 200)), 64, 64, 1);
    expect(out[0]).toBeCloseTo(0);
    expect(out[31]).toBeCloseTo(200);
    expect(out[32 * 31 + 15]).toBeCloseTo(0);
  });

  it('uses BT.601 luma and treats transparent pixels as white', () => {
    const rgb = plane([255, 0, 0, 0, 0, 255], 2, 1, 3);
    expect(rgb[0]).toBeCloseTo(0.299 * 255);
    expect(rgb[31]).toBeCloseTo(0.114 * 255);
    const rgba = plane([0, 0, 0, 0, 0, 0, 0, 255], 2, 1, 4);
    expect([rgba[0], rgba[31]]).toEqual([255, 0]);
    const greyAlpha = plane([0, 0, 0, 255], 2, 1, 2);
    expect([greyAlpha[0], greyAlpha[31]]).toEqual([255, 0]);
  });
});

describe('phash', () => {
  it('is 16 lowercase hex characters', async () => {
    expect(await hashOf(await picture('png', { seed: 5 }))).toMatch(/^[0-9a-f]{16}$/);
  });

  it('matches a textbook DCT: coefficients (1..8)×(1..8) against their median, row-major, first bit highest', () => {
    const rand = (() => {
      let x = 12345;
      return () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32) * 255;
    })();
    const plane = Float64Array.from({ length: 32 * 32 }, rand);
    const coef: number[] = [];
    for (let u = 1; u <= 8; u++) {
      for (let v = 1; v <= 8; v++) {
        let sum = 0;
        for (let y = 0; y < 32; y++) {
          for (let x = 0; x < 32; x++) {
            sum += plane[y * 32 + x]! * Math.cos(((2 * y + 1) * u * Math.PI) / 64) * Math.cos(((2 * x + 1) * v * Math.PI) / 64);
          }
        }
        coef.push(sum);
      }
    }
    const sorted = [...coef].sort((a, b) => a - b);
    const median = (sorted[31]! + sorted[32]!) / 2;
    const bits = coef.map((c) => (c > median ? '1' : '0')).join('');
    const expected = BigInt(`0b${bits}`).toString(16).padStart(16, '0');
    expect(phashOf32(plane)).toBe(expected);
  });

  it('ignores overall brightness (the DC row and column are left out)', () => {
    const plane = new Float64Array(32 * 32).map((_, i) => ((i * 7919) % 97) + (i % 32));
    const brighter = plane.map((v) => v + 40);
    expect(phashOf32(brighter)).toBe(phashOf32(plane));
  });

  it('keeps near-identical copies within 8 bits: resized, re-encoded, brightened', async () => {
    for (const seed of [1, 2, 3]) {
      const original = await picture('png', { width: 192, height: 128, seed });
      const base = await hashOf(original);
      const { data, width, height } = pictureRgb({ width: 192, height: 128, seed });
      const resized = await sharp(data, { raw: { width, height, channels: 3 } }).resize(96, 64).png().toBuffer();
      const jpeg = await sharp(original).jpeg({ quality: 60 }).toBuffer();
      const brighter = await picture('png', { width: 192, height: 128, seed, brighten: 12 });
      for (const copy of [resized, jpeg, brighter]) {
        expect(hammingDistance(base, await hashOf(copy))).toBeLessThanOrEqual(8);
      }
    }
  });

  it('puts different pictures far apart', async () => {
    const hashes = await Promise.all([1, 2, 3, 4, 5, 6].map(async (seed) => hashOf(await picture('png', { seed }))));
    for (let i = 0; i < hashes.length; i++) {
      for (let j = i + 1; j < hashes.length; j++) expect(hammingDistance(hashes[i]!, hashes[j]!)).toBeGreaterThan(16);
    }
  });
});

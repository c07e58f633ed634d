// The numbers behind augmentation: the colour matrix keeps grey grey (rows sum to 1)
// and luminance fixed under saturation and hue; no strengths give the identity transform.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../electron/engine/curation/prng.js';
import { colourMatrix, drawImage, transformRow } from '../../../../electron/engine/train/augment/augment-draws.js';
import { defaultAugmentation, noAugmentation } from '../../../../electron/engine/train/augment/augment-params.js';

const LUMA = [0.299, 0.587, 0.114];
const strengths = fc.record({
  flip: fc.boolean(),
  rotation: fc.double({ min: 0, max: 45, noNaN: true }),
  scale: fc.double({ min: 0, max: 0.5, noNaN: true }),
  crop: fc.double({ min: 0, max: 0.5, noNaN: true }),
  brightness: fc.double({ min: 0, max: 1, noNaN: true }),
  saturation: fc.double({ min: 0, max: 1, noNaN: true }),
  hue: fc.double({ min: 0, max: 0.5, noNaN: true }),
  greyscale: fc.double({ min: 0, max: 1, noNaN: true }),
});

describe('augmentation draws', () => {
  it('no strengths: the identity transform and the identity colour matrix', () => {
    const d = drawImage(mulberry32(1), noAugmentation, 10, 20);
    transformRow(d, 10, 20).forEach((v, i) => expect(v).toBeCloseTo([1, 0, 0, 0, 1, 0, 0, 0][i]!, 12));
    colourMatrix(d).forEach((v, i) => expect(v).toBeCloseTo([1, 0, 0, 0, 1, 0, 0, 0, 1][i]!, 12));
    expect(d.brightness).toBe(0);
  });

  it('every colour matrix maps grey to the same grey, and without greyscale keeps the luminance', () => {
    fc.assert(
      fc.property(strengths, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (p, seed) => {
        const d = drawImage(mulberry32(seed), p, 8, 8);
        const m = colourMatrix(d);
        for (let r = 0; r < 3; r++) expect(m[r * 3]! + m[r * 3 + 1]! + m[r * 3 + 2]!).toBeCloseTo(1, 9);
        for (let c = 0; c < 3; c++) {
          const lumaRow = LUMA[0]! * m[c]! + LUMA[1]! * m[3 + c]! + LUMA[2]! * m[6 + c]!;
          expect(lumaRow).toBeCloseTo(LUMA[c]!, 9);
        }
      }),
    );
  });

  it('draws stay within their strengths, and each image uses the same number of draws whatever the strengths', () => {
    fc.assert(
      fc.property(strengths, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (p, seed) => {
        const d = drawImage(mulberry32(seed), p, 50, 80);
        expect(Math.abs(d.angle)).toBeLessThanOrEqual((p.rotation * Math.PI) / 180 + 1e-12);
        expect(Math.abs(d.brightness)).toBeLessThanOrEqual(p.brightness + 1e-12);
        expect(Math.abs(d.shiftX)).toBeLessThanOrEqual((p.crop * 80) / 2 + 1e-9);
        expect(d.zoom).toBeGreaterThanOrEqual(1 - p.scale - 1e-12);
        // The second image's draws do not depend on the first image's strengths.
        const a = mulberry32(seed);
        const b = mulberry32(seed);
        drawImage(a, p, 50, 80);
        drawImage(b, defaultAugmentation, 50, 80);
        expect(drawImage(a, defaultAugmentation, 50, 80)).toEqual(drawImage(b, defaultAugmentation, 50, 80));
      }),
    );
  });
});

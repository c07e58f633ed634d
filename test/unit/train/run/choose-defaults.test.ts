import { describe, expect, it } from 'vitest';
import { chooseDefaults, defaultAugmentationFor } from '../../../../electron/engine/train/run/choose-defaults.js';

const backbone = { name: 'MobileNetV2 (nsfwjs)', inputSize: 224 };
const facts = { smallestClassCount: 100, classCount: 10 };

describe('chooseDefaults', () => {
  it('gives small greyscale images a small CNN at their own size, one channel, and says why', () => {
    const c = chooseDefaults({ ...facts, medianSide: 28, greyscale: true }, backbone);
    expect(c).toEqual({ modelKind: 'small-cnn', inputSize: 28, channels: 1, reason: 'small greyscale images (about 28×28): a small CNN trained from scratch' });
  });

  it('keeps colour for small colour images', () => {
    expect(chooseDefaults({ ...facts, medianSide: 32, greyscale: false }, backbone)).toMatchObject({ modelKind: 'small-cnn', inputSize: 32, channels: 3 });
  });

  it('gives photos transfer learning from the bundled backbone at its input size', () => {
    const c = chooseDefaults({ ...facts, medianSide: 3024, greyscale: false }, backbone);
    expect(c).toEqual({ modelKind: 'frozen-head', inputSize: 224, channels: 3, reason: 'photos (about 3024 px): transfer learning from the bundled backbone (MobileNetV2 (nsfwjs))' });
  });

  it('draws the line at 64 px and never goes below 16 px', () => {
    expect(chooseDefaults({ ...facts, medianSide: 64, greyscale: true }, backbone).modelKind).toBe('small-cnn');
    expect(chooseDefaults({ ...facts, medianSide: 65, greyscale: true }, backbone).modelKind).toBe('frozen-head');
    expect(chooseDefaults({ ...facts, medianSide: 8, greyscale: true }, backbone).inputSize).toBe(16);
  });

  it('augments small images lightly (no flip, no colour) and photos with the full defaults', () => {
    expect(defaultAugmentationFor(28)).toEqual({ flip: false, rotation: 0, scale: 0.05, crop: 0.05, brightness: 0, saturation: 0, hue: 0, greyscale: 0 });
    expect(defaultAugmentationFor(224)).toMatchObject({ flip: true, rotation: 10, brightness: 0.2 });
  });
});

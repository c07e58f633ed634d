// Item 13 of the training issue: a default that fits the data, with the reason in
// plain words. Measured (PERFORMANCE.md): on small greyscale images a small CNN
// trained from scratch beats frozen ImageNet-style features (85% vs 78–80% on a
// Fashion-MNIST subset), while for photos a pretrained backbone is the safe default.
import { defaultAugmentation, type AugmentParams } from '../augment/augment-params.js';
import type { ResolvedModelKind } from '../config.js';

export interface DataFacts {
  /** Median of each training image's longer side, in pixels. */
  medianSide: number;
  /** True when every sampled image is greyscale. */
  greyscale: boolean;
  smallestClassCount: number;
  classCount: number;
}

export interface DefaultChoice {
  modelKind: ResolvedModelKind;
  inputSize: number;
  channels: 1 | 3;
  reason: string;
}

/** Images whose longer side is at most this are "small": thumbnails, icons, MNIST-like. */
export const SMALL_IMAGE_SIDE = 64;

export function chooseDefaults(facts: DataFacts, backbone: { name: string; inputSize: number }): DefaultChoice {
  if (facts.medianSide <= SMALL_IMAGE_SIDE) {
    // Keep the native size: upsampling tiny images adds pixels, not information.
    const inputSize = Math.max(16, Math.min(SMALL_IMAGE_SIDE, Math.round(facts.medianSide)));
    const channels = facts.greyscale ? 1 : 3;
    const look = facts.greyscale ? 'greyscale' : 'colour';
    return {
      modelKind: 'small-cnn',
      inputSize,
      channels,
      reason: `small ${look} images (about ${inputSize}×${inputSize}): a small CNN trained from scratch`,
    };
  }
  return {
    modelKind: 'frozen-head',
    inputSize: backbone.inputSize,
    channels: 3,
    reason: `photos (about ${Math.round(facts.medianSide)} px): transfer learning from the bundled backbone (${backbone.name})`,
  };
}

/**
 * What 'default' augmentation means for a model that sees `inputSize` pixels. On small
 * images the photo defaults (rotation, zoom, crops of 10 %, colour shifts) move a
 * 28-pixel object by several pixels and halve how fast a small CNN learns: measured on
 * 10,000 Fashion-MNIST images, 87.8 % after 8 epochs with them against 88.9 % without
 * (bench/train.ts). Small images get a light version — a few percent of crop and zoom,
 * no flip (digits and letters change meaning mirrored), no colour — which keeps
 * each epoch's images fresh without making the task harder than the real one.
 */
export function defaultAugmentationFor(inputSize: number): AugmentParams {
  if (inputSize > SMALL_IMAGE_SIDE) return defaultAugmentation;
  return { flip: false, rotation: 0, scale: 0.05, crop: 0.05, brightness: 0, saturation: 0, hue: 0, greyscale: 0 };
}

// The strengths of each augmentation, as the training form and the preview set them.
// Each field is a strength (0 turns that augmentation off), except `flip`, which is on
// or off, and `greyscale`, which is the probability that an image loses its colour.
// The same shape as `augmentationSchema` in ../config.ts, which embeds it in a run.
import { z } from 'zod';
import { fromZodError } from '../../../api/errors.js';

export const augmentParamsSchema = z.strictObject({
  /** Mirror left–right with probability ½. */
  flip: z.boolean(),
  /** Rotate by an angle drawn from ±rotation degrees. */
  rotation: z.number().min(0).max(45),
  /** Zoom by a factor drawn from 1 ± scale (in or out). */
  scale: z.number().min(0).max(0.5),
  /** Cut a window whose side is 1 − f of the image (f drawn from 0…crop) at a random place, resized back. */
  crop: z.number().min(0).max(0.5),
  /** Add a value drawn from ±brightness to every channel (pixel values are 0…1). */
  brightness: z.number().min(0).max(1),
  /** Scale the colourfulness by a factor drawn from 1 ± saturation. */
  saturation: z.number().min(0).max(1),
  /** Turn the hue by an angle drawn from ±hue of a full turn (a tint). */
  hue: z.number().min(0).max(0.5),
  /** Probability of replacing the colours by their luminance. */
  greyscale: z.number().min(0).max(1),
});

export type AugmentParams = z.infer<typeof augmentParamsSchema>;

export const noAugmentation: Readonly<AugmentParams> = Object.freeze({
  flip: false,
  rotation: 0,
  scale: 0,
  crop: 0,
  brightness: 0,
  saturation: 0,
  hue: 0,
  greyscale: 0,
});

/** Moderate: varied enough to fight overfitting, mild enough that every image still shows its class. */
export const defaultAugmentation: Readonly<AugmentParams> = Object.freeze({
  flip: true,
  rotation: 10,
  scale: 0.1,
  crop: 0.1,
  brightness: 0.2,
  saturation: 0.2,
  hue: 0.05,
  greyscale: 0.05,
});

/** Validates strengths from outside (a form, a config file); the error names the field. */
export function parseAugmentParams(input: unknown): AugmentParams {
  const parsed = augmentParamsSchema.safeParse(input);
  if (!parsed.success) throw fromZodError(parsed.error, 'augmentation');
  return parsed.data;
}

export function hasGeometry(p: AugmentParams): boolean {
  return p.flip || p.rotation > 0 || p.scale > 0 || p.crop > 0;
}

/** Whether anything changes the pixel values of an image with `channels` channels. */
export function hasColour(p: AugmentParams, channels: number): boolean {
  // Brightness is intensity, so it applies to greyscale images too; the others need colour.
  return p.brightness > 0 || (channels === 3 && (p.saturation > 0 || p.hue > 0 || p.greyscale > 0));
}

// Per-image random draws turned into numbers the tensor code applies: one projective
// transform row (tf.image.transform's 8 numbers) and one 3×3 colour matrix plus a
// brightness offset. Plain arithmetic, so it can be checked without tensors.
//
// Every image consumes the same ten draws in the same order whatever the strengths, so
// moving one slider in the preview changes only that aspect of each image.
import type { Random } from '../../curation/prng.js';
import type { AugmentParams } from './augment-params.js';

export const DRAWS_PER_IMAGE = 10;

export interface ImageDraws {
  flip: boolean;
  /** Radians. */
  angle: number;
  /** > 1 magnifies the content. */
  zoom: number;
  /** Shift of the sampled window's centre, in input pixels. */
  shiftX: number;
  shiftY: number;
  /** Added to every channel. */
  brightness: number;
  saturation: number;
  /** Radians in the YIQ chroma plane. */
  hue: number;
  greyscale: boolean;
}

const signed = (u: number): number => 2 * u - 1;

export function drawImage(rand: Random, p: AugmentParams, height: number, width: number): ImageDraws {
  const u = Array.from({ length: DRAWS_PER_IMAGE }, () => rand());
  const cropFraction = u[3]! * p.crop;
  return {
    flip: p.flip && u[0]! < 0.5,
    angle: (signed(u[1]!) * p.rotation * Math.PI) / 180,
    // A crop of 1 − f of the side, resized back, magnifies by 1 / (1 − f).
    zoom: (1 + signed(u[2]!) * p.scale) / (1 - cropFraction),
    // The window's centre can move as far as the window still fits inside the image.
    shiftX: (signed(u[4]!) * cropFraction * width) / 2,
    shiftY: (signed(u[5]!) * cropFraction * height) / 2,
    brightness: signed(u[6]!) * p.brightness,
    saturation: 1 + signed(u[7]!) * p.saturation,
    hue: signed(u[8]!) * p.hue * 2 * Math.PI,
    greyscale: u[9]! < p.greyscale,
  };
}

/**
 * The row [a0 a1 a2 b0 b1 b2 0 0] that maps an output pixel (x, y) to the input point
 * (a0·x + a1·y + a2, b0·x + b1·y + b2) it samples: mirror, rotate and zoom about the
 * image centre, then shift. Pixel coordinates are column/row indices, as in tf's kernel.
 */
export function transformRow(d: ImageDraws, height: number, width: number): number[] {
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const f = d.flip ? -1 : 1;
  const cos = Math.cos(d.angle) / d.zoom;
  const sin = Math.sin(d.angle) / d.zoom;
  const a0 = cos * f;
  const a1 = -sin;
  const b0 = sin * f;
  const b1 = cos;
  return [a0, a1, cx + d.shiftX - a0 * cx - a1 * cy, b0, b1, cy + d.shiftY - b0 * cx - b1 * cy, 0, 0];
}

type Mat3 = [number, number, number, number, number, number, number, number, number];

// Rec. 601 luma, the Y row of YIQ: saturation, hue and greyscale all keep it.
const LUMA = [0.299, 0.587, 0.114] as const;
const RGB_TO_YIQ: Mat3 = [0.299, 0.587, 0.114, 0.596, -0.274, -0.322, 0.211, -0.523, 0.312];
const YIQ_TO_RGB: Mat3 = invert(RGB_TO_YIQ);
const IDENTITY: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];
const GREY: Mat3 = [...LUMA, ...LUMA, ...LUMA] as Mat3;

/**
 * The 3×3 matrix (row-major, rows are output channels) that applies saturation, then
 * the hue turn, then greyscale. Each of them maps grey to the same grey, so every row
 * sums to 1 and adding the brightness before or after gives the same image.
 */
export function colourMatrix(d: ImageDraws): Mat3 {
  const s = d.saturation;
  const saturation = IDENTITY.map((v, i) => s * v + (1 - s) * GREY[i]!) as Mat3;
  const c = Math.cos(d.hue);
  const sn = Math.sin(d.hue);
  const turn: Mat3 = [1, 0, 0, 0, c, -sn, 0, sn, c];
  const hue = multiply(YIQ_TO_RGB, multiply(turn, RGB_TO_YIQ));
  return multiply(d.greyscale ? GREY : IDENTITY, multiply(hue, saturation));
}

function multiply(a: Mat3, b: Mat3): Mat3 {
  const out = new Array<number>(9);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      out[r * 3 + c] = a[r * 3]! * b[c]! + a[r * 3 + 1]! * b[3 + c]! + a[r * 3 + 2]! * b[6 + c]!;
    }
  }
  return out as Mat3;
}

function invert(m: Mat3): Mat3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [
    A / det, -(b * i - c * h) / det, (b * f - c * e) / det,
    B / det, (a * i - c * g) / det, -(a * f - c * d) / det,
    C / det, -(a * h - b * g) / det, (a * e - b * d) / det,
  ];
}

// A real image-classification task generated on the spot: coloured circles, squares
// and triangles on noisy backgrounds, rendered by sharp (librsvg) to PNG files in one
// sub-folder per class. Position, size, colour and background vary per image, so a
// model has to learn the shape, not a pixel (with `colourByClass`, each class also has
// its own hue: an easy task for quick tests). Deterministic for a given seed.
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { mulberry32 } from '../../electron/engine/curation/prng.js';

export const SHAPES = ['circle', 'square', 'triangle'] as const;
export type Shape = (typeof SHAPES)[number];

/** Each class's hue when colours follow the class (an easy task that still needs learning from pixels). */
const CLASS_HUE: Record<Shape, number> = { circle: 0, square: 120, triangle: 240 };

function shapeSvg(shape: Shape, size: number, random: () => number, colourByClass: boolean): string {
  const r = size * (0.22 + random() * 0.12);
  const cx = r + random() * (size - 2 * r);
  const cy = r + random() * (size - 2 * r);
  const hue = colourByClass ? (CLASS_HUE[shape] + Math.floor(random() * 40) - 20 + 360) % 360 : Math.floor(random() * 360);
  const bg = Math.floor(random() * 360);
  const fill = `hsl(${hue},80%,${35 + Math.floor(random() * 30)}%)`;
  const back = `hsl(${bg},30%,${70 + Math.floor(random() * 25)}%)`;
  let body: string;
  if (shape === 'circle') body = `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${fill}"/>`;
  else if (shape === 'square') body = `<rect x="${cx - r * 0.85}" y="${cy - r * 0.85}" width="${r * 1.7}" height="${r * 1.7}" fill="${fill}"/>`;
  else body = `<polygon points="${cx},${cy - r} ${cx + r},${cy + r * 0.8} ${cx - r},${cy + r * 0.8}" fill="${fill}"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="100%" height="100%" fill="${back}"/>${body}</svg>`;
}

/** Writes `perClass` images of each shape under root/<shape>/ and returns the root. */
export async function writeShapesDataset(root: string, opts: { perClass: number; size?: number; seed?: number; shapes?: readonly Shape[]; colourByClass?: boolean }): Promise<string> {
  const size = opts.size ?? 32;
  const random = mulberry32(opts.seed ?? 7);
  for (const shape of opts.shapes ?? SHAPES) {
    const dir = path.join(root, shape);
    await fs.mkdir(dir, { recursive: true });
    for (let i = 0; i < opts.perClass; i++) {
      const png = await sharp(Buffer.from(shapeSvg(shape, size, random, opts.colourByClass ?? false))).png().toBuffer();
      await fs.writeFile(path.join(dir, `${shape}-${String(i).padStart(4, '0')}.png`), png);
    }
  }
  return root;
}

// A folder of Fashion-MNIST PNGs, one sub-folder per class (the layout a user imports),
// written once and reused: a `.complete-grey-<n>` marker is written last, and the folder
// is reused only when the marker is there and every file is present. The PNGs are 8-bit
// greyscale like the originals (sharp would otherwise widen one raw channel to RGB).
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { FASHION_CLASS_NAMES, FASHION_SIDE, readBalanced } from './fashion-mnist.js';

const fileName = (i: number) => `${String(i).padStart(5, '0')}.png`;

function complete(dir: string, perClass: number): boolean {
  if (!fs.existsSync(path.join(dir, `.complete-grey-${perClass * 10}`))) return false;
  return FASHION_CLASS_NAMES.every((c) => {
    const sub = path.join(dir, c);
    return fs.existsSync(sub) && fs.readdirSync(sub).filter((f) => f.endsWith('.png')).length === perClass;
  });
}

/** `perClass` distinct images of each class from the training file, as 28×28 greyscale PNGs under `dir/<class>/`. */
export async function fashionPngFolder(dir: string, perClass: number, log: (msg: string) => void): Promise<{ dir: string; reused: boolean }> {
  if (complete(dir, perClass)) return { dir, reused: true };
  fs.rmSync(dir, { recursive: true, force: true });
  for (const name of FASHION_CLASS_NAMES) fs.mkdirSync(path.join(dir, name), { recursive: true });
  const subset = readBalanced('train', perClass, { unique: true });
  log(`writing ${subset.images.length} PNGs to ${dir}`);
  let next = 0;
  // A few encodes in flight: sharp works on libuv's pool, one image at a time each.
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = next++; i < subset.images.length; i = next++) {
        await sharp(subset.images[i]!, { raw: { width: FASHION_SIDE, height: FASHION_SIDE, channels: 1 } })
          .toColourspace('b-w')
          .png()
          .toFile(path.join(dir, FASHION_CLASS_NAMES[subset.labels[i]!]!, fileName(i)));
      }
    }),
  );
  fs.writeFileSync(path.join(dir, `.complete-grey-${perClass * 10}`), '');
  return { dir, reused: false };
}

// A small photo folder made on the fly with sharp: one sub-folder per class, each with
// coloured shapes (PNG and JPEG, every file different), plus files an import must
// refuse: a zero-byte JPEG and a text file named .png.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

export const FIXTURE_CLASSES = ['circle', 'square', 'triangle'] as const;
export const IMAGES_PER_CLASS = 8;
export const BAD_FILES = [
  { rel: path.join('circle', 'empty.jpg'), kind: 'zero-byte' },
  { rel: path.join('square', 'notes.png'), kind: 'text' },
] as const;

function shapeSvg(cls: (typeof FIXTURE_CLASSES)[number], i: number, size: number): string {
  const hue = (i * 47 + FIXTURE_CLASSES.indexOf(cls) * 120) % 360;
  const fill = `hsl(${hue}, 70%, 50%)`;
  const bg = `hsl(${(hue + 180) % 360}, 30%, 92%)`;
  const c = size / 2;
  const r = size * (0.25 + (i % 4) * 0.04);
  const dx = ((i % 3) - 1) * size * 0.08;
  let shape: string;
  if (cls === 'circle') shape = `<circle cx="${c + dx}" cy="${c}" r="${r}" fill="${fill}"/>`;
  else if (cls === 'square') shape = `<rect x="${c - r + dx}" y="${c - r}" width="${2 * r}" height="${2 * r}" fill="${fill}"/>`;
  else shape = `<polygon points="${c + dx},${c - r} ${c + r + dx},${c + r} ${c - r + dx},${c + r}" fill="${fill}"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="100%" height="100%" fill="${bg}"/>${shape}</svg>`;
}

/** Writes the fixture under `dir` and returns what an import of it should report. */
export async function makeShapesFolder(dir: string): Promise<{ images: number; bad: number }> {
  for (const cls of FIXTURE_CLASSES) {
    fs.mkdirSync(path.join(dir, cls), { recursive: true });
    for (let i = 0; i < IMAGES_PER_CLASS; i++) {
      const size = 96 + i * 8;
      const img = sharp(Buffer.from(shapeSvg(cls, i, size)));
      const name = `${cls}-${String(i + 1).padStart(2, '0')}`;
      if (i % 2 === 0) await img.png().toFile(path.join(dir, cls, `${name}.png`));
      else await img.jpeg({ quality: 85 }).toFile(path.join(dir, cls, `${name}.jpg`));
    }
  }
  fs.writeFileSync(path.join(dir, BAD_FILES[0].rel), '');
  fs.writeFileSync(path.join(dir, BAD_FILES[1].rel), 'These are my notes, not a picture.\n');
  return { images: FIXTURE_CLASSES.length * IMAGES_PER_CLASS, bad: BAD_FILES.length };
}

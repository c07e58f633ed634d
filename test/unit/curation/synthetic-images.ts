// Real pictures for the near-duplicate tests, made with sharp: smooth random scenes
// (sums of coloured waves at many scales), so each seed is a different picture and
// resizing or re-encoding one keeps it recognisably the same. Hashed exactly as the
// importer does: decoded, fitted inside 256 px, then the importer's own pHash.
import sharp from 'sharp';
import { phash } from '../../../electron/engine/ingest/phash.js';
import { mulberry32 } from '../../../electron/engine/curation/prng.js';

export async function scene(seed: number, width = 192, height = 144): Promise<Buffer> {
  const rand = mulberry32(seed);
  // Photographs have energy at every scale, falling off with frequency (about 1/f); a
  // sum of waves built that way gives the hash's 8×8 low frequencies clear signs, as
  // real pictures do. (Only a few smooth blobs would leave most of them near zero,
  // where any re-encoding flips them.)
  const waves = Array.from({ length: 24 }, (_, k) => {
    const f = 1 + (k % 8) + rand() * 2;
    const a = rand() * Math.PI * 2;
    return { fx: (f * Math.cos(a)) / width, fy: (f * Math.sin(a)) / height, phase: rand() * Math.PI * 2, amp: 60 / f, tint: [rand(), rand(), rand()] };
  });
  const base = [60 + rand() * 120, 60 + rand() * 120, 60 + rand() * 120];
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let ch = 0; ch < 3; ch++) {
        let v = base[ch]!;
        for (const w of waves) v += w.amp * (0.5 + w.tint[ch]!) * Math.sin(2 * Math.PI * (w.fx * x + w.fy * y) + w.phase);
        data[(y * width + x) * 3 + ch] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

export const variants = {
  resized: (img: Buffer) => sharp(img).resize({ width: 96 }).png().toBuffer(),
  enlarged: (img: Buffer) => sharp(img).resize({ width: 400 }).png().toBuffer(),
  jpeg: (img: Buffer) => sharp(img).jpeg({ quality: 70 }).toBuffer(),
  brighter: (img: Buffer) => sharp(img).modulate({ brightness: 1.1 }).png().toBuffer(),
  lifted: (img: Buffer) => sharp(img).linear(1, 12).png().toBuffer(),
  all: (img: Buffer) => sharp(img).resize({ width: 150 }).modulate({ brightness: 1.08 }).jpeg({ quality: 75 }).toBuffer(),
} satisfies Record<string, (img: Buffer) => Promise<Buffer>>;

export async function phashOfFile(bytes: Buffer): Promise<{ phash: string; width: number; height: number }> {
  const meta = await sharp(bytes).metadata();
  const { data, info } = await sharp(bytes)
    .rotate()
    .resize({ width: 256, height: 256, fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { phash: phash({ data, width: info.width, height: info.height, channels: info.channels }), width: meta.width!, height: meta.height! };
}

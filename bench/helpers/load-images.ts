// The photo folder of the load benchmark: `count` small real PNGs made with sharp, in
// one sub-folder per class (the folder names become the classes on import). Each
// picture is a shape of its class (circle, square, triangle, cross) at its own size,
// place and colour on a noisy background of its own tint, so every file differs and
// the classes can be learned. Made once under the system's temporary folder, keyed by
// count and LOAD_IMAGES_VERSION (bump it when the pictures change), and reused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

export const LOAD_IMAGES_VERSION = 'v1';
export const LOAD_CLASSES = ['circle', 'square', 'triangle', 'cross'] as const;
const SIZE = 32;

/** A tiny PRNG (LCG) seeded per image: the same folder on every machine. */
function randomOf(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function inside(cls: number, dx: number, dy: number, r: number): boolean {
  switch (cls) {
    case 0:
      return dx * dx + dy * dy <= r * r;
    case 1:
      return Math.abs(dx) <= r * 0.8 && Math.abs(dy) <= r * 0.8;
    case 2:
      return dy <= r * 0.8 && dy >= -r && Math.abs(dx) <= (dy + r) * 0.55;
    default:
      return (Math.abs(dx) <= r * 0.25 || Math.abs(dy) <= r * 0.25) && Math.abs(dx) <= r && Math.abs(dy) <= r;
  }
}

/** Raw RGB pixels of picture `i` of class `cls`. */
export function loadPicture(i: number, cls: number): Buffer {
  const rnd = randomOf(i * 2654435761 + cls * 97 + 12345);
  const px = Buffer.alloc(SIZE * SIZE * 3);
  const fg = [rnd() * 255, rnd() * 255, rnd() * 255];
  const bg = [rnd() * 120, rnd() * 120, rnd() * 120];
  const r = 6 + rnd() * 7;
  const cx = SIZE / 2 + (rnd() - 0.5) * 10;
  const cy = SIZE / 2 + (rnd() - 0.5) * 10;
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const on = inside(cls, x - cx, y - cy, r);
      const noise = (rnd() - 0.5) * 40;
      for (let c = 0; c < 3; c++) px[(y * SIZE + x) * 3 + c] = Math.max(0, Math.min(255, (on ? fg[c]! : bg[c]!) + noise));
    }
  }
  return px;
}

/** Runs `fn` over 0..n-1 with `width` calls in flight (sharp encodes on libuv's threads: that is the parallelism). */
async function inParallel(n: number, width: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

async function make(dir: string, count: number, log: (msg: string) => void): Promise<void> {
  for (const name of LOAD_CLASSES) fs.mkdirSync(path.join(dir, name), { recursive: true });
  const started = performance.now();
  let made = 0;
  // Twice as many in flight as sharp has threads, so every thread always has work.
  const width = Math.max(4, sharp.concurrency() * 2);
  await inParallel(count, width, async (i) => {
    const cls = i % LOAD_CLASSES.length;
    const file = path.join(dir, LOAD_CLASSES[cls]!, `${LOAD_CLASSES[cls]}-${String(i).padStart(6, '0')}.png`);
    await sharp(loadPicture(i, cls), { raw: { width: SIZE, height: SIZE, channels: 3 } })
      .png({ compressionLevel: 6 })
      .toFile(file);
    if (++made % 10_000 === 0) log(`  made ${made}/${count} images (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  });
}

/** The folder's path: made on first use, then reused. Made aside and renamed into place whole. */
export async function loadImagesFolder(count: number, log: (msg: string) => void): Promise<{ dir: string; madeSeconds: number | null }> {
  const dir = path.join(os.tmpdir(), `holdout-load-images-${LOAD_IMAGES_VERSION}-${count}`);
  if (fs.existsSync(path.join(dir, '.complete'))) return { dir, madeSeconds: null };
  const building = fs.mkdtempSync(`${dir}.building-`);
  const started = performance.now();
  try {
    log(`making ${count} images in ${dir} (once; later runs reuse them)`);
    await make(building, count, log);
    fs.writeFileSync(path.join(building, '.complete'), '');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(building, dir);
  } finally {
    fs.rmSync(building, { recursive: true, force: true });
  }
  return { dir, madeSeconds: (performance.now() - started) / 1000 };
}

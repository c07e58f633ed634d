// A folder of real photos big enough that importing it takes a while: a few hundred
// 12-megapixel progressive JPEGs (what phones and the web produce; a progressive JPEG
// cannot be decoded at a reduced scale cheaply, so each costs real decode time), in
// three class folders, plus files an import must refuse. Made once with sharp and
// kept under the system's temporary folder, keyed by LARGE_PHOTOS_VERSION (bump it
// when the content changes); a later run reuses it.
//
// Making it stays cheap: a handful of distinct pictures are encoded, and every file is
// one of them with its own JPEG comment segment, so each file has its own bytes (and
// hash) without encoding a few hundred 12-megapixel images.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

export const LARGE_PHOTOS_VERSION = 'v1';
export const LARGE_CLASSES = ['alpha', 'bravo', 'charlie'] as const;
export const LARGE_PER_CLASS = 60;
export const LARGE_IMAGES = LARGE_CLASSES.length * LARGE_PER_CLASS;
const WIDTH = 4000;
const HEIGHT = 3000;
const BASES = 3;

/**
 * Files the import refuses, with what their reason must say. Their names sort first in
 * the first class folder, so they are read before any photo (a cancelled import has
 * reached them). The .txt file is refused by name while the folder is listed.
 */
export const LARGE_BAD_FILES = [
  { rel: 'alpha/0-empty.jpg', reason: /empty/i },
  { rel: 'alpha/0-notes.png', reason: /not an image/i },
  { rel: 'alpha/0-truncated.jpg', reason: /truncated|corrupt/i },
  { rel: 'alpha/0-readme.txt', reason: /not an image file type/i },
] as const;

/** A picture: soft colour gradients under a pattern, different for each base. */
async function basePicture(b: number): Promise<Buffer> {
  // Drawn small, scaled up: smooth like a photo's sky, and quick to make.
  const w = 400;
  const h = 300;
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 3;
      raw[o] = (x * 255) / w;
      raw[o + 1] = (y * 255) / h;
      raw[o + 2] = ((x * (b + 1)) ^ (y * (BASES - b))) & 255;
    }
  }
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .resize(WIDTH, HEIGHT, { kernel: 'cubic' })
    .jpeg({ quality: 90, progressive: true })
    .toBuffer();
}

/** The same JPEG with a comment segment (FF FE) after its header: a different file, the same picture. */
function withComment(jpeg: Buffer, text: string): Buffer {
  let at = 2; // after SOI
  // Keep the JFIF/EXIF application segments first, where readers expect them.
  while (jpeg[at] === 0xff && jpeg[at + 1]! >= 0xe0 && jpeg[at + 1]! <= 0xef) at += 2 + jpeg.readUInt16BE(at + 2);
  const body = Buffer.from(text, 'latin1');
  const header = Buffer.alloc(4);
  header.writeUInt16BE(0xfffe, 0);
  header.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, at), header, body, jpeg.subarray(at)]);
}

async function make(dir: string): Promise<void> {
  const bases = await Promise.all(Array.from({ length: BASES }, (_, b) => basePicture(b)));
  let n = 0;
  for (const cls of LARGE_CLASSES) {
    fs.mkdirSync(path.join(dir, cls), { recursive: true });
    for (let i = 0; i < LARGE_PER_CLASS; i++) {
      const file = path.join(dir, cls, `${cls}-${String(i + 1).padStart(3, '0')}.jpg`);
      fs.writeFileSync(file, withComment(bases[n % BASES]!, `holdout e2e photo ${n}`));
      n++;
    }
  }
  const small = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#4a7' } }).jpeg().toBuffer();
  fs.writeFileSync(path.join(dir, LARGE_BAD_FILES[0].rel), '');
  fs.writeFileSync(path.join(dir, LARGE_BAD_FILES[1].rel), 'These are my notes, not a picture.\n');
  fs.writeFileSync(path.join(dir, LARGE_BAD_FILES[2].rel), small.subarray(0, Math.floor(small.length / 2)));
  fs.writeFileSync(path.join(dir, LARGE_BAD_FILES[3].rel), 'Photos from the field trip.\n');
}

/** The folder's path; made on first use (a few seconds), then reused. Safe against a parallel run making it too. */
export async function largePhotosFolder(): Promise<string> {
  const dir = path.join(os.tmpdir(), `holdout-e2e-large-photos-${LARGE_PHOTOS_VERSION}`);
  const marker = path.join(dir, '.complete');
  if (fs.existsSync(marker)) return dir;
  // Made aside and renamed into place whole, so `dir` is either complete or absent.
  const building = fs.mkdtempSync(`${dir}.building-`);
  try {
    await make(building);
    fs.writeFileSync(path.join(building, '.complete'), '');
    try {
      fs.renameSync(building, dir);
    } catch (err) {
      if (fs.existsSync(marker)) return dir; // Another run finished first: use its folder.
      // Left over from an interrupted removal: replace it.
      fs.rmSync(dir, { recursive: true, force: true });
      fs.renameSync(building, dir);
    }
  } finally {
    fs.rmSync(building, { recursive: true, force: true });
  }
  return dir;
}

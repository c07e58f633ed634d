// The per-file work, run in-process (the integration tests run it in workers).
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processFile, type FileOutcome, type ImageFacts } from '../../../electron/engine/ingest/process-file.js';
import { ThumbnailWriter } from '../../../electron/engine/ingest/thumbnail-file.js';
import {
  bmp,
  exifRotatedJpeg,
  jpegWithCaptureTime,
  picture,
  pngBomb,
  SVG,
  tempDir,
  truncatedJpeg,
} from '../../fixtures/images/make-images.js';

let dir: string;
let thumbs: ThumbnailWriter;
const MAX = 100_000_000;

beforeAll(() => {
  dir = tempDir();
  thumbs = new ThumbnailWriter(path.join(dir, 'thumbs'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(name: string, bytes: Buffer | string, maxPixels = MAX): Promise<FileOutcome> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return processFile({ pathBytes: Buffer.from(file), known: null }, thumbs, maxPixels);
}

function asImage(outcome: FileOutcome): ImageFacts {
  if (outcome.kind !== 'image') throw new Error(`expected an image, got ${JSON.stringify(outcome)}`);
  return outcome;
}

describe('processFile: good images', () => {
  it('records hash, size, format and writes a thumbnail no larger than 256 px', async () => {
    const bytes = await picture('png', { width: 600, height: 300, seed: 2 });
    const facts = asImage(await run('wide.png', bytes));
    expect(facts).toMatchObject({ width: 600, height: 300, bytes: bytes.length, format: 'png', capturedAt: null });
    expect(facts.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(facts.phash).toMatch(/^[0-9a-f]{16}$/);
    const thumb = await sharp(thumbs.fileFor(facts.sha256)).metadata();
    expect(thumb).toMatchObject({ format: 'webp', width: 256, height: 128 });
  });

  it('never enlarges a small picture', async () => {
    const facts = asImage(await run('tiny.png', await picture('png', { width: 20, height: 12 })));
    expect(await sharp(thumbs.fileFor(facts.sha256)).metadata()).toMatchObject({ width: 20, height: 12 });
  });

  it('reports every accepted format by sharp’s name', async () => {
    for (const format of ['jpeg', 'webp', 'gif', 'tiff', 'avif'] as const) {
      const facts = asImage(await run(`x.${format}`, await picture(format, { width: 40, height: 30, seed: 9 })));
      expect(facts.format).toBe(format);
      expect([facts.width, facts.height]).toEqual([40, 30]);
    }
  });

  it('gives width and height as displayed after EXIF orientation, and turns the thumbnail', async () => {
    const facts = asImage(await run('sideways.jpg', await exifRotatedJpeg(120, 80)));
    expect([facts.width, facts.height]).toEqual([80, 120]);
    expect(await sharp(thumbs.fileFor(facts.sha256)).metadata()).toMatchObject({ width: 80, height: 120 });
  });

  it('reads the EXIF capture time', async () => {
    const facts = asImage(await run('dated.jpg', await jpegWithCaptureTime('2021:07:14 16:30:05', '2022:01:01 00:00:00')));
    expect(facts.capturedAt).toBe('2021-07-14T16:30:05');
  });

  it('skips an unchanged known file without reading it', async () => {
    const file = path.join(dir, 'known.png');
    fs.writeFileSync(file, await picture('png'));
    const st = fs.statSync(file);
    fs.chmodSync(file, 0o000); // as root this does not stop reads; unchanged must not need one anyway
    const outcome = await processFile({ pathBytes: Buffer.from(file), known: { bytes: st.size, mtimeMs: st.mtimeMs } }, thumbs, MAX);
    expect(outcome).toEqual({ kind: 'unchanged' });
    fs.chmodSync(file, 0o644);
    const changed = await processFile({ pathBytes: Buffer.from(file), known: { bytes: st.size + 1, mtimeMs: st.mtimeMs } }, thumbs, MAX);
    expect(changed.kind).toBe('image');
  });
});

describe('processFile: bad files get a clear reason', () => {
  const cases: [string, () => Buffer | Promise<Buffer>, RegExp][] = [
    ['empty.jpg', () => Buffer.alloc(0), /^empty file \(0 bytes\)$/],
    ['notes.jpg', () => Buffer.from('this is a text file\nwith a .jpg name\n'), /^not an image: the file contains text/],
    ['binary.png', () => Buffer.from([1, 2, 3, 4, 0, 0, 9, 8, 7]), /^not an image: its contents are not a known picture format/],
    ['old.png', () => bmp(), /^unsupported format \(BMP\)/],
    ['drawing.jpg', () => SVG, /^unsupported format \(SVG\)/],
    ['bomb.png', () => pngBomb(30000, 30000), /^too many pixels: 30000×30000 is 900 megapixels, over the limit of 100 megapixels/],
    ['cut.jpg', () => truncatedJpeg(), /^truncated: the file ends before the picture does/],
    ['garbled.png', async () => {
      const png = await picture('png', { width: 64, height: 64 });
      const bad = Buffer.from(png);
      bad.fill(0x41, 60, bad.length - 20); // header intact, compressed data garbage
      return bad;
    }, /^(corrupt|truncated): /],
  ];
  for (const [name, make, reason] of cases) {
    it(`${name}`, async () => {
      const outcome = await run(name, await make());
      expect(outcome.kind).toBe('error');
      expect(outcome.kind === 'error' && outcome.reason).toMatch(reason);
    });
  }

  it('applies maxPixels', async () => {
    const outcome = await run('big-enough.png', await picture('png', { width: 100, height: 100 }), 5000);
    expect(outcome).toEqual({ kind: 'error', reason: expect.stringMatching(/^too many pixels: 100×100/) });
  });

  it('reports a missing file and a folder', async () => {
    expect(await processFile({ pathBytes: Buffer.from(path.join(dir, 'nope.jpg')), known: null }, thumbs, MAX)).toEqual({
      kind: 'error',
      reason: expect.stringMatching(/^file not found/),
    });
    fs.mkdirSync(path.join(dir, 'folder.jpg'));
    expect(await processFile({ pathBytes: Buffer.from(path.join(dir, 'folder.jpg')), known: null }, thumbs, MAX)).toEqual({
      kind: 'error',
      reason: 'is a folder, not an image file',
    });
  });

  it('reports a symbolic link loop', async () => {
    const link = path.join(dir, 'self.jpg');
    fs.symlinkSync(link, link);
    expect(await processFile({ pathBytes: Buffer.from(link), known: null }, thumbs, MAX)).toEqual({
      kind: 'error',
      reason: expect.stringMatching(/^symbolic link loop/),
    });
  });
});

describe('truncation by the bytes', () => {
  it('calls a JPEG without its end marker truncated even when libvips says only "Unknown error"', async () => {
    const { judgeDecodeError, endsEarly } = await import('../../../electron/engine/ingest/decode-errors.js');
    const whole = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 6, 7, 8, 0xff, 0xd9]);
    const cut = whole.subarray(0, 12);
    expect(endsEarly(whole)).toBe(false);
    expect(endsEarly(cut)).toBe(true);
    expect(judgeDecodeError(new Error('Unknown error'), 1e8, cut)).toMatch(/^truncated: /);
    expect(judgeDecodeError(new Error('Unknown error'), 1e8, whole)).toMatch(/^corrupt: /);
  });

  it('calls a PNG without its IEND chunk truncated', async () => {
    const { endsEarly } = await import('../../../electron/engine/ingest/decode-errors.js');
    const sharp = (await import('sharp')).default;
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123456' } }).png().toBuffer();
    expect(endsEarly(png)).toBe(false);
    expect(endsEarly(png.subarray(0, png.length - 20))).toBe(true);
  });
});

// The JS header reader must agree with libvips (sharp.metadata) on every file it
// accepts; anything it is unsure about it must leave to sharp (null).
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readExif } from '../../../electron/engine/ingest/exif-facts.js';
import { readImageHeader } from '../../../electron/engine/ingest/image-header.js';
import { picture, pictureRgb, truncatedJpeg } from '../../fixtures/images/make-images.js';

const EXIF = { IFD0: { Make: 'Test', DateTime: '2020:01:02 03:04:05' }, IFD2: { DateTimeOriginal: '2019:05:06 07:08:09' } };

async function samples(): Promise<[string, Buffer][]> {
  const { data, width, height } = pictureRgb({ width: 75, height: 41, seed: 4 });
  const rgb = () => sharp(data, { raw: { width, height, channels: 3 } });
  const rgba = () => rgb().ensureAlpha(0.5);
  const frames = [await picture('png', { width: 30, height: 20, seed: 1 }), await picture('png', { width: 30, height: 20, seed: 2 })];
  return [
    ['jpeg baseline', await rgb().jpeg().toBuffer()],
    ['jpeg progressive', await rgb().jpeg({ progressive: true }).toBuffer()],
    ['jpeg greyscale', await rgb().greyscale().jpeg().toBuffer()],
    ['jpeg cmyk', await rgb().toColourspace('cmyk').jpeg().toBuffer()],
    ['jpeg orientation 6', await rgb().jpeg().withMetadata({ orientation: 6 }).toBuffer()],
    ['jpeg orientation 8 + dates', await rgb().jpeg().withExif(EXIF).withMetadata({ orientation: 8 }).toBuffer()],
    ['jpeg dates', await rgb().withExif(EXIF).jpeg().toBuffer()],
    ['png rgb', await rgb().png().toBuffer()],
    ['png rgba', await rgba().png().toBuffer()],
    ['png grey', await rgb().greyscale().png().toBuffer()],
    ['png palette', await rgb().png({ palette: true }).toBuffer()],
    ['png 16-bit', await rgb().toColourspace('rgb16').png().toBuffer()],
    ['png interlaced', await rgb().png({ progressive: true }).toBuffer()],
    ['png exif', await rgb().withExif(EXIF).withMetadata({ orientation: 6 }).png().toBuffer()],
    ['gif', await rgb().gif().toBuffer()],
    ['gif animated', await sharp(frames, { join: { animated: true } }).gif().toBuffer()],
    ['webp lossy', await rgb().webp().toBuffer()],
    ['webp lossless', await rgb().webp({ lossless: true }).toBuffer()],
    ['webp alpha', await rgba().webp().toBuffer()],
    ['webp exif', await rgb().withExif(EXIF).withMetadata({ orientation: 6 }).webp().toBuffer()],
    ['webp animated', await sharp(frames, { join: { animated: true } }).webp().toBuffer()],
  ];
}

describe('readImageHeader', () => {
  it('agrees with sharp.metadata on format, size, orientation and capture time', async () => {
    for (const [name, bytes] of await samples()) {
      const header = readImageHeader(bytes);
      const meta = await sharp(bytes).metadata();
      expect(header, name).not.toBeNull();
      expect([header!.format, header!.width, header!.height], name).toEqual([meta.format, meta.width, meta.height]);
      const fromHeader = readExif(header!.exif);
      const fromSharp = readExif(meta.exif);
      expect(fromHeader.orientation ?? 1, name).toBe(meta.orientation ?? 1);
      expect(fromHeader.capturedAt, name).toBe(fromSharp.capturedAt);
    }
  });

  it('leaves other formats and damaged headers to sharp', async () => {
    expect(readImageHeader(await picture('tiff'))).toBeNull();
    expect(readImageHeader(await picture('avif', { width: 16, height: 16 }))).toBeNull();
    expect(readImageHeader(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00]))).toBeNull();
    expect(readImageHeader(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]))).toBeNull();
    expect(readImageHeader(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBeNull();
  });

  it('still reads the size of a JPEG whose data is cut short (the decode then fails)', async () => {
    expect(readImageHeader(await truncatedJpeg())).toMatchObject({ format: 'jpeg', width: 200, height: 150 });
  });
});

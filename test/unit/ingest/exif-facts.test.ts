import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readExif } from '../../../electron/engine/ingest/exif-facts.js';
import { exifRotatedJpeg, jpegWithCaptureTime } from '../../fixtures/images/make-images.js';

async function exifOf(bytes: Buffer): Promise<Buffer | undefined> {
  return (await sharp(bytes).metadata()).exif;
}

describe('readExif', () => {
  it('prefers DateTimeOriginal and keeps it as local wall-clock time', async () => {
    const exif = await exifOf(await jpegWithCaptureTime('2019:05:06 07:08:09', '2020:01:02 03:04:05'));
    expect(readExif(exif).capturedAt).toBe('2019-05-06T07:08:09');
  });
  it('falls back to DateTime', async () => {
    const exif = await exifOf(await jpegWithCaptureTime(null, '2020:01:02 03:04:05'));
    expect(readExif(exif).capturedAt).toBe('2020-01-02T03:04:05');
  });
  it('reads the orientation', async () => {
    expect(readExif(await exifOf(await exifRotatedJpeg())).orientation).toBe(6);
  });
  it('is empty without EXIF, with an unset clock, or with a broken block', async () => {
    expect(readExif(undefined)).toEqual({ orientation: null, capturedAt: null });
    expect(readExif(await exifOf(await jpegWithCaptureTime('0000:00:00 00:00:00', null))).capturedAt).toBeNull();
    expect(readExif(Buffer.from('Exif\0\0garbage-that-is-not-tiff'))).toEqual({ orientation: null, capturedAt: null });
  });
});

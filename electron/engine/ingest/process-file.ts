// The work done for one file, in a worker thread: read it once, hash the bytes, read
// the header, decode once to at most 256 px, and derive both the thumbnail and the
// perceptual hash from that one decode. That is two sharp pipelines per new file
// (decode, WebP encode); one for small plain PNGs, which are decoded in JS; and one
// fewer when the thumbnail already exists. JPEG shrink-on-load makes the decode of a
// 12-megapixel photo at 1/8 scale cheap; nothing here ever holds a full-size bitmap.
// Every failure becomes a reason a person can act on; nothing here throws.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import sharp from 'sharp';
import { diskFullCode, type DiskFullCode } from '../util/disk-full.js';
import { readExif, type ExifFacts } from './exif-facts.js';
import { judgeDecodeError, ioErrorReason, tooManyPixelsReason } from './decode-errors.js';
import { ACCEPTED_FORMATS, type AcceptedFormat, notAnImageReason, sniff, unsupportedReason } from './file-types.js';
import { readImageHeader } from './image-header.js';
import { asBuffer } from './path-bytes.js';
import { phash } from './phash.js';
import { decodeSmallPng, type Pixels } from './png-decode.js';
import type { ThumbnailWriter } from './thumbnail-file.js';

export const THUMB_SIZE = 256;
/**
 * Shared with the benchmark's floor so both do the same encoding work. Effort 2 of 6:
 * a 256 px thumbnail gains a few percent of size from a slower search, not quality.
 */
export const THUMB_WEBP: sharp.WebpOptions = { quality: 80, effort: 2 };
export const RESIZE: sharp.ResizeOptions = {
  width: THUMB_SIZE,
  height: THUMB_SIZE,
  fit: 'inside',
  withoutEnlargement: true,
};
// 'error' refuses truncated and broken pixel data but accepts the harmless libjpeg
// warnings ("extraneous bytes before marker") that many real cameras produce.
const FAIL_ON = 'error' as const;

export interface FileJob {
  pathBytes: Uint8Array;
  /** What the project already has for this path: unchanged size and mtime → not read at all. */
  known: { bytes: number; mtimeMs: number } | null;
}

export interface ImageFacts {
  kind: 'image';
  sha256: string;
  phash: string;
  width: number;
  height: number;
  bytes: number;
  format: AcceptedFormat;
  capturedAt: string | null;
  mtimeMs: number;
}

/**
 * `diskFull`: the project's disk had no room for the thumbnail. The file itself is fine,
 * so this is not the file's error: the import stops there (see import-run.ts).
 */
export type FileOutcome = ImageFacts | { kind: 'unchanged' } | { kind: 'error'; reason: string; diskFull?: DiskFullCode };

function fail(reason: string): FileOutcome {
  return { kind: 'error', reason };
}

function acceptedFormat(meta: sharp.Metadata): AcceptedFormat | null {
  // sharp names every HEIF container 'heif'; AV1-coded ones are what people call AVIF.
  const format = meta.format === 'heif' && meta.compression === 'av1' ? 'avif' : meta.format;
  return (ACCEPTED_FORMATS as readonly string[]).includes(format ?? '') ? (format as AcceptedFormat) : null;
}

// O_NONBLOCK: opening a named pipe listed in a CSV must not wait for a writer.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/**
 * Reads the file once: open, fstat, read, close — four system calls, fewer than
 * stat + readFile, which matters where system calls are slow (virtual machines).
 * Synchronous on purpose: this runs in a worker thread whose other files are being
 * decoded on libuv's pool meanwhile, and the async calls would each cost a round trip
 * through that same pool. A known file is only stat'ed: unchanged means not read.
 */
function readSource(job: FileJob): { bytes: Buffer; mtimeMs: number } | FileOutcome {
  const file = asBuffer(job.pathBytes);
  try {
    if (job.known) {
      const st = fs.statSync(file);
      if (st.isFile() && job.known.bytes === st.size && job.known.mtimeMs === st.mtimeMs) return { kind: 'unchanged' };
    }
    const fd = fs.openSync(file, OPEN_FLAGS);
    try {
      const st = fs.fstatSync(fd);
      if (st.isDirectory()) return fail('is a folder, not an image file');
      if (!st.isFile()) return fail('not a regular file (a device, pipe or socket)');
      if (st.size === 0) return fail('empty file (0 bytes)');
      const bytes = Buffer.allocUnsafe(st.size);
      let filled = 0;
      while (filled < bytes.length) {
        const n = fs.readSync(fd, bytes, filled, bytes.length - filled, filled);
        if (n === 0) break; // it shrank while we read: keep what is there
        filled += n;
      }
      if (filled === 0) return fail('empty file (0 bytes)');
      return { bytes: filled < bytes.length ? bytes.subarray(0, filled) : bytes, mtimeMs: st.mtimeMs };
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    return fail(ioErrorReason(err));
  }
}

interface Described {
  format: AcceptedFormat;
  /** As displayed, i.e. after the EXIF orientation. */
  width: number;
  height: number;
  capturedAt: string | null;
  /** Whether EXIF says to turn or flip the stored pixels. */
  reoriented: boolean;
}

/**
 * Format, size and EXIF facts: from the header in JS for JPEG, PNG, GIF and WebP,
 * from sharp's metadata() (a header read in libvips) for the rest. Neither decodes
 * pixels, so a decompression bomb is measured here before anything is allocated.
 */
async function describe(bytes: Buffer, maxPixels: number): Promise<Described | FileOutcome> {
  let format: AcceptedFormat | null;
  let width: number;
  let height: number;
  let exif: ExifFacts;
  const header = readImageHeader(bytes);
  if (header) {
    ({ format, width, height } = header);
    exif = readExif(header.exif);
  } else {
    // No pixel limit for the header read, so a bomb is reported with its size.
    const meta = await sharp(bytes, { limitInputPixels: false, failOn: FAIL_ON }).metadata();
    format = acceptedFormat(meta);
    if (!format) return fail(unsupportedReason(meta.format ?? 'unknown'));
    width = meta.width ?? 0;
    height = meta.height ?? 0;
    exif = readExif(meta.exif);
    exif.orientation = meta.orientation ?? exif.orientation;
  }
  if (width * height > maxPixels) return fail(tooManyPixelsReason(width, height, maxPixels));
  if (!width || !height) return fail('corrupt: the file has no picture size in its header');
  const turned = (exif.orientation ?? 1) >= 5;
  return {
    format,
    width: turned ? height : width,
    height: turned ? width : height,
    capturedAt: exif.capturedAt,
    reoriented: (exif.orientation ?? 1) !== 1,
  };
}

/**
 * The one decode, to at most 256 px, that both the thumbnail and the perceptual hash
 * come from: in JS for small plain PNGs (see png-decode.ts), else with sharp (JPEG
 * shrink-on-load), under the pixel limit as a second guard against bombs.
 */
async function decode(bytes: Buffer, described: Described, maxPixels: number): Promise<Pixels> {
  if (described.format === 'png' && !described.reoriented) {
    const small = decodeSmallPng(bytes, THUMB_SIZE);
    if (small) return small;
  }
  const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels, failOn: FAIL_ON })
    .rotate()
    .resize(RESIZE)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

export async function processFile(job: FileJob, thumbs: ThumbnailWriter, maxPixels: number): Promise<FileOutcome> {
  const source = readSource(job);
  if ('kind' in source) return source;
  const { bytes, mtimeMs } = source;
  const sniffed = sniff(bytes);
  if (sniffed.kind === 'unsupported') return fail(unsupportedReason(sniffed.format));
  if (sniffed.kind === 'unknown') return fail(notAnImageReason(sniffed));

  const sha256 = createHash('sha256').update(bytes).digest('hex');
  try {
    const described = await describe(bytes, maxPixels);
    if ('kind' in described) return described;
    const { format, width, height, capturedAt } = described;
    const { data, ...raw } = await decode(bytes, described, maxPixels);
    if (!thumbs.exists(sha256)) {
      const webp = await sharp(data, { raw }).webp(THUMB_WEBP).toBuffer();
      try {
        thumbs.write(sha256, webp);
      } catch (err) {
        // The project folder, not the picture, is at fault (disk full, read-only).
        const reason = `its thumbnail could not be saved in the project: ${ioErrorReason(err)}`;
        const full = diskFullCode(err);
        return full ? { kind: 'error', reason, diskFull: full } : fail(reason);
      }
    }
    return { kind: 'image', sha256, phash: phash({ data, ...raw }), width, height, bytes: bytes.length, format, capturedAt, mtimeMs };
  } catch (err) {
    return fail(judgeDecodeError(err, maxPixels, bytes));
  }
}

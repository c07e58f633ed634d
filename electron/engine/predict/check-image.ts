// Reads one file handed to Predict and decides, before any model sees it, whether it is
// a picture we can use, with the importer's own rules and words: the bytes (not the
// name) say what it is, the header's pixel count is checked against the importer's
// limit before anything is decoded (a decompression bomb is refused, not allocated), and
// a file that ends before its picture does is refused as truncated, where the training
// decoder would quietly fill the missing rows with grey. Nothing here throws.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import sharp from 'sharp';
import { endsEarly, ioErrorReason, judgeDecodeError, tooManyPixelsReason } from '../ingest/decode-errors.js';
import { notAnImageReason, sniff, unsupportedReason } from '../ingest/file-types.js';
import { readImageHeader } from '../ingest/image-header.js';
import type { InputFile } from './list-inputs.js';

export type CheckedImage =
  | { ok: true; file: InputFile; bytes: Buffer; sha256: string; width: number; height: number }
  | { ok: false; file: InputFile; reason: string };

export async function checkImage(file: InputFile, maxPixels: number): Promise<CheckedImage> {
  const fail = (reason: string): CheckedImage => ({ ok: false, file, reason });
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file.pathBytes);
  } catch (err) {
    return fail(ioErrorReason(err));
  }
  if (bytes.length === 0) return fail('empty file (0 bytes)');
  const sniffed = sniff(bytes);
  if (sniffed.kind === 'unsupported') return fail(unsupportedReason(sniffed.format));
  if (sniffed.kind === 'unknown') return fail(notAnImageReason(sniffed));
  let width: number;
  let height: number;
  try {
    const header = readImageHeader(bytes);
    if (header) ({ width, height } = header);
    else {
      // No pixel limit for the header read, so a bomb is reported with its size.
      const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
      width = meta.width ?? 0;
      height = meta.height ?? 0;
    }
  } catch (err) {
    return fail(judgeDecodeError(err, maxPixels, bytes));
  }
  if (width * height > maxPixels) return fail(tooManyPixelsReason(width, height, maxPixels));
  if (!width || !height) return fail('corrupt: the file has no picture size in its header');
  if (endsEarly(bytes)) return fail('truncated: the file ends before the picture does; copy it again from its source');
  return { ok: true, file, bytes, sha256: createHash('sha256').update(bytes).digest('hex'), width, height };
}

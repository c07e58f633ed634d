// Turns an image file into the pixels a model sees: EXIF-rotated like the thumbnails,
// squared by the run's resize mode, as 8-bit RGB or grey. Pixels stay uint8 until a
// batch is built (4× less memory than floats for a whole dataset held in RAM).
// The same function serves training, evaluation, prediction and export parity, so a
// model always sees images prepared one way.
import fs from 'node:fs/promises';
import sharp from 'sharp';

export interface DecodeOptions {
  size: number;
  channels: 1 | 3;
  resize: 'fill' | 'cover';
}

export class ImageDecodeError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`cannot read image ${file}: ${reason}`);
    this.name = 'ImageDecodeError';
  }
}

/** Decodes one file to size×size×channels uint8 pixels. */
export async function decodeImage(file: Buffer | string, display: string, opts: DecodeOptions): Promise<Uint8Array> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    throw new ImageDecodeError(display, (err as Error).message);
  }
  return decodeBytes(bytes, display, opts);
}

export async function decodeBytes(bytes: Buffer, display: string, opts: DecodeOptions): Promise<Uint8Array> {
  try {
    let img = sharp(bytes, { failOn: 'none', limitInputPixels: 268_402_689 })
      .rotate()
      .resize(opts.size, opts.size, { fit: opts.resize, kernel: 'lanczos3' })
      // Transparent areas become white, as a person sees them on screen.
      .flatten({ background: '#ffffff' });
    img = opts.channels === 1 ? img.toColourspace('b-w') : img.toColourspace('srgb');
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    if (info.width !== opts.size || info.height !== opts.size) {
      throw new Error(`resized to ${info.width}×${info.height}, expected ${opts.size}×${opts.size}`);
    }
    if (info.channels !== opts.channels) {
      // libvips keeps an extra band in rare inputs (e.g. CMYK with alpha); keep the ones asked for.
      return pickChannels(data, info.channels, opts.channels, opts.size * opts.size);
    }
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } catch (err) {
    throw new ImageDecodeError(display, (err as Error).message);
  }
}

function pickChannels(data: Buffer, have: number, want: 1 | 3, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels * want);
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < want; c++) out[p * want + c] = data[p * have + Math.min(c, have - 1)]!;
  }
  return out;
}

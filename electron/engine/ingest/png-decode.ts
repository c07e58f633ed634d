// Decodes small, plain PNGs in JS. A data set of tiny PNGs (MNIST-like, 28×28 to
// 256×256) is where import time goes to fixed costs: a sharp decode pipeline costs
// ~0.5 ms of thread hand-offs and option marshalling whatever the size, while
// inflating and unfiltering 28×28 pixels in JS takes ~20 µs. The result is exactly
// what sharp's decode would give (lossless; checked by the tests), so the thumbnail
// and the perceptual hash do not depend on which path ran.
//
// Only the unambiguous case is handled: 8-bit samples (palettes also 1, 2 or 4 bits
// per index), not interlaced, at most 256 px
// a side (so no resize is due), every chunk CRC right, no colour profile or gamma to
// apply, no transparency key on grey or RGB images. Anything else returns null and
// goes through sharp, which also gives damaged files their proper error.
import zlib from 'node:zlib';

export interface Pixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

function crc32(buf: Buffer, start: number, end: number): number {
  let c = -1;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

const CHANNELS: Record<number, 1 | 2 | 3 | 4> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
// Chunks that change how pixels should look: leave those files to libvips.
const COLOUR_CHUNKS = new Set(['iCCP', 'gAMA', 'cHRM', 'sRGB', 'cICP', 'mDCV', 'cLLI', 'sBIT']);

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Reverses the per-row filters; false when a row's filter type is invalid. */
function unfilter(raw: Buffer, out: Buffer, stride: number, height: number, bpp: number): boolean {
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    const prev = row - stride;
    for (let x = 0; x < stride; x++) {
      const v = raw[src + x]!;
      const a = x >= bpp ? out[row + x - bpp]! : 0;
      const b = y > 0 ? out[prev + x]! : 0;
      switch (filter) {
        case 0: out[row + x] = v; break;
        case 1: out[row + x] = v + a; break;
        case 2: out[row + x] = v + b; break;
        case 3: out[row + x] = v + ((a + b) >>> 1); break;
        case 4: out[row + x] = v + paeth(a, b, x >= bpp && y > 0 ? out[prev + x - bpp]! : 0); break;
        default: return false;
      }
    }
  }
  return true;
}

export function decodeSmallPng(buf: Buffer, maxSide: number): Pixels | null {
  if (buf.length < 45 || buf.toString('latin1', 12, 16) !== 'IHDR') return null;
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  const [depth, colourType, compression, filterMethod, interlace] = [buf[24]!, buf[25]!, buf[26]!, buf[27]!, buf[28]!];
  const bands = CHANNELS[colourType];
  const depthOk = depth === 8 || (colourType === 3 && (depth === 1 || depth === 2 || depth === 4));
  if (!bands || !depthOk || compression !== 0 || filterMethod !== 0 || interlace !== 0) return null;
  if (width < 1 || height < 1 || width > maxSide || height > maxSide) return null;

  const idat: Buffer[] = [];
  let palette: Buffer | undefined;
  let alpha: Buffer | undefined;
  let ended = false;
  for (let at = 8; at + 12 <= buf.length; ) {
    const length = buf.readUInt32BE(at);
    const end = at + 8 + length;
    if (end + 4 > buf.length) return null;
    const type = buf.toString('latin1', at + 4, at + 8);
    if (crc32(buf, at + 4, end) !== buf.readUInt32BE(end)) return null;
    if (type === 'IDAT') idat.push(buf.subarray(at + 8, end));
    else if (type === 'PLTE') palette = buf.subarray(at + 8, end);
    else if (type === 'tRNS') alpha = buf.subarray(at + 8, end);
    else if (type === 'IEND') {
      ended = true;
      break;
    } else if (COLOUR_CHUNKS.has(type)) return null;
    at = end + 4;
  }
  if (!ended || idat.length === 0) return null;
  if (alpha && colourType !== 3) return null;

  // Filters work on bytes: a pixel is `bpp` bytes apart from its left neighbour.
  const bpp = bands;
  const stride = Math.ceil((width * bands * depth) / 8);
  const expected = height * (stride + 1);
  let raw: Buffer;
  try {
    raw = zlib.inflateSync(idat.length === 1 ? idat[0]! : Buffer.concat(idat), { maxOutputLength: expected + 1 });
  } catch {
    return null;
  }
  if (raw.length !== expected) return null;
  const pixels = Buffer.allocUnsafe(stride * height);
  if (!unfilter(raw, pixels, stride, height, bpp)) return null;
  if (colourType !== 3) return { data: pixels, width, height, channels: bands };

  // Palette: expand to RGB, or RGBA when the palette has transparency (as libvips does).
  if (!palette || palette.length % 3 !== 0) return null;
  const entries = palette.length / 3;
  const channels = alpha ? 4 : 3;
  const data = Buffer.allocUnsafe(width * height * channels);
  const perByte = 8 / depth;
  const mask = (1 << depth) - 1;
  for (let i = 0, o = 0; i < width * height; i++, o += channels) {
    const x = i % width;
    const y = (i - x) / width;
    // Indices narrower than a byte are packed from the high bits; rows start on a byte.
    const byte = pixels[y * stride + Math.floor(x / perByte)]!;
    const index = depth === 8 ? byte : (byte >> ((perByte - 1 - (x % perByte)) * depth)) & mask;
    if (index >= entries) return null;
    data[o] = palette[index * 3]!;
    data[o + 1] = palette[index * 3 + 1]!;
    data[o + 2] = palette[index * 3 + 2]!;
    if (alpha) data[o + 3] = index < alpha.length ? alpha[index]! : 255;
  }
  return { data, width, height, channels };
}

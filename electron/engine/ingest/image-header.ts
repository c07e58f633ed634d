// Reads what import needs from the header of the common formats (JPEG, PNG, GIF,
// WebP) in JS, from the bytes already in memory: format, stored size, and the EXIF
// block (orientation, capture time). This replaces a sharp metadata() call per file,
// which costs a thread-pool round trip and ~100 µs of option marshalling — a tenth of
// the work for a small PNG. Other formats (TIFF, HEIF, AVIF) and anything odd return
// null and go through sharp.metadata(), so the parser only has to be right, not complete.

export interface ImageHeader {
  format: 'jpeg' | 'png' | 'gif' | 'webp';
  /** As stored, before EXIF orientation. */
  width: number;
  height: number;
  /** The EXIF block as libvips reports it (JPEG: with its "Exif\0\0" prefix), if any. */
  exif?: Buffer;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function valid(h: ImageHeader): ImageHeader | null {
  return h.width > 0 && h.height > 0 ? h : null;
}

function pngHeader(buf: Buffer): ImageHeader | null {
  if (buf.length < 33 || buf.toString('latin1', 12, 16) !== 'IHDR') return null;
  const header: ImageHeader = { format: 'png', width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
  // An eXIf chunk (which may carry an orientation) comes before the image data.
  for (let at = 33; at + 12 <= buf.length; ) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    if (type === 'IDAT' || type === 'IEND') break;
    if (type === 'eXIf' && at + 8 + length <= buf.length) header.exif = buf.subarray(at + 8, at + 8 + length);
    at += 12 + length;
  }
  return valid(header);
}

// Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) are not frames.
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegHeader(buf: Buffer): ImageHeader | null {
  let exif: Buffer | undefined;
  for (let at = 2; at + 4 <= buf.length; ) {
    if (buf[at] !== 0xff) return null;
    const marker = buf[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // no frame header before the data
    const length = buf.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > buf.length) return null;
    if (marker === 0xe1 && !exif && buf.toString('latin1', at + 4, at + 10) === 'Exif\0\0') {
      exif = buf.subarray(at + 4, at + 2 + length);
    }
    if (isStartOfFrame(marker)) {
      if (length < 7) return null;
      const header: ImageHeader = { format: 'jpeg', height: buf.readUInt16BE(at + 5), width: buf.readUInt16BE(at + 7) };
      if (exif) header.exif = exif;
      return valid(header); // a height of 0 (set later by a DNL marker) falls back to sharp
    }
    at += 2 + length;
  }
  return null;
}

function gifHeader(buf: Buffer): ImageHeader | null {
  if (buf.length < 10) return null;
  return valid({ format: 'gif', width: buf.readUInt16LE(6), height: buf.readUInt16LE(8) });
}

function webpHeader(buf: Buffer): ImageHeader | null {
  if (buf.length < 30) return null;
  const first = buf.toString('latin1', 12, 16);
  let header: ImageHeader;
  if (first === 'VP8 ') {
    if (buf[23] !== 0x9d || buf[24] !== 0x01 || buf[25] !== 0x2a) return null;
    header = { format: 'webp', width: buf.readUInt16LE(26) & 0x3fff, height: buf.readUInt16LE(28) & 0x3fff };
  } else if (first === 'VP8L') {
    if (buf[20] !== 0x2f) return null;
    const bits = buf.readUInt32LE(21);
    header = { format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  } else if (first === 'VP8X') {
    header = { format: 'webp', width: buf.readUIntLE(24, 3) + 1, height: buf.readUIntLE(27, 3) + 1 };
    // Extended files may carry an EXIF chunk, usually after the image data.
    for (let at = 12; at + 8 <= buf.length; ) {
      const size = buf.readUInt32LE(at + 4);
      if (buf.toString('latin1', at, at + 4) === 'EXIF' && at + 8 + size <= buf.length) {
        header.exif = buf.subarray(at + 8, at + 8 + size);
        break;
      }
      at += 8 + size + (size & 1);
    }
  } else {
    return null;
  }
  return valid(header);
}

/** The header of a JPEG, PNG, GIF or WebP file; null for other formats or when unsure. */
export function readImageHeader(buf: Buffer): ImageHeader | null {
  try {
    if (buf.length >= 8 && PNG_SIGNATURE.every((b, i) => buf[i] === b)) return pngHeader(buf);
    if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return jpegHeader(buf);
    if (buf.toString('latin1', 0, 4) === 'GIF8') return gifHeader(buf);
    if (buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP') return webpHeader(buf);
  } catch {
    // A read past the end of a damaged header: let sharp judge the file.
  }
  return null;
}

// Generated bad and odd image files: each is a few bytes to a few kilobytes, made in
// milliseconds, nothing downloaded. `expected` is what import must do with it: accept it
// ('works'), or list it with a reason matching the pattern.
import zlib from 'node:zlib';
import sharp from 'sharp';
import { bmp, exifRotatedJpeg, picture, pictureRgb, pngBomb, truncatedJpeg } from '../fixtures/images/make-images.js';
import type { Expected } from './corpus-kind.js';

export interface ImageKind {
  kind: string;
  /** File name in the corpus folder. */
  file: string;
  make: (ctx: { svgUrl: string }) => Buffer | Promise<Buffer>;
  expected: Expected;
  /** For kinds that work: the stored format and displayed size. */
  facts?: { format?: string; width?: number; height?: number };
}

function raw(width: number, height: number, seed: number): sharp.Sharp {
  const { data } = pictureRgb({ width, height, seed });
  return sharp(data, { raw: { width, height, channels: 3 } });
}

/** `frames` frames of `width`×`height` stacked vertically: sharp's layout for animation. */
function animated(width: number, height: number, frames: number): sharp.Sharp {
  const { data } = pictureRgb({ width, height: height * frames, seed: 21 });
  return sharp(data, { raw: { width, height: height * frames, channels: 3, pageHeight: height } });
}

/** A JPEG whose Exif segment is garbage: a wrong byte-order mark and offsets past the end. */
async function brokenExifJpeg(): Promise<Buffer> {
  const jpeg = await raw(64, 48, 5).jpeg().toBuffer();
  const junk = Buffer.concat([Buffer.from('Exif\0\0MX\0\x2a\xff\xff\xff\xff', 'latin1'), Buffer.alloc(40, 0xee)]);
  const app1 = Buffer.alloc(4);
  app1.writeUInt16BE(0xffe1, 0);
  app1.writeUInt16BE(junk.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), app1, junk, jpeg.subarray(2)]);
}

/** A JPEG whose frame header declares 65000×65000 pixels (the data is a tiny picture's). */
async function jpegBomb(): Promise<Buffer> {
  const jpeg = Buffer.from(await raw(16, 16, 6).jpeg().toBuffer());
  for (let at = 2; at + 9 < jpeg.length; ) {
    const marker = jpeg[at + 1]!;
    if (marker === 0xc0 || marker === 0xc2) {
      jpeg.writeUInt16BE(65000, at + 5);
      jpeg.writeUInt16BE(65000, at + 7);
      return jpeg;
    }
    at += 2 + jpeg.readUInt16BE(at + 2);
  }
  throw new Error('no frame header');
}

/** A minimal ZIP archive (one stored file) to append to a picture: a PNG+ZIP polyglot. */
function zipOf(name: string, content: Buffer): Buffer {
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt32LE(content.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt32LE(content.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + name.length, 12);
  end.writeUInt32LE(30 + name.length + content.length, 16);
  return Buffer.concat([local, Buffer.from(name), content, central, Buffer.from(name), end]);
}

/** A fake HEIC: an ISO-BMFF 'ftyp heic' box followed by bytes no decoder understands. */
function fakeHeic(): Buffer {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write('ftypheic', 4, 'latin1');
  ftyp.write('mif1heic', 16, 'latin1');
  return Buffer.concat([ftyp, Buffer.alloc(200, 0x5a)]);
}

function svgWithExternalRefs(url: string): Buffer {
  return Buffer.from(
    `<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="4000" height="4000">` +
      `<image href="${url}/image.png" width="40" height="40"/><image xlink:href="${url}/xlink.png"/>` +
      `<style>@import url("${url}/style.css");</style><use href="${url}/use.svg#x"/></svg>\n`,
  );
}

export const IMAGE_KINDS: ImageKind[] = [
  { kind: 'zero bytes', file: 'zero.jpg', make: () => Buffer.alloc(0), expected: /empty file \(0 bytes\)/ },
  { kind: 'truncated JPEG', file: 'truncated.jpg', make: () => truncatedJpeg(), expected: /^truncated: the file ends before the picture does/ },
  {
    kind: 'truncated PNG',
    file: 'truncated.png',
    make: async () => {
      const png = await picture('png', { width: 300, height: 200, seed: 4 });
      return png.subarray(0, Math.floor(png.length * 0.6));
    },
    expected: /^truncated: the file ends before the picture does/,
  },
  { kind: 'text renamed .jpg', file: 'notes.jpg', make: () => Buffer.from('shopping list\neggs\nmilk\n'.repeat(20)), expected: /^not an image: the file contains text/ },
  { kind: 'PNG named .jpg (wrong extension)', file: 'really-a-png.jpg', make: () => picture('png', { seed: 8 }), expected: 'works', facts: { format: 'png', width: 96, height: 64 } },
  { kind: 'BMP named .png (unsupported, lying name)', file: 'bitmap.png', make: () => bmp(), expected: /^unsupported format \(BMP\)/ },
  { kind: 'decompression bomb PNG (30000×30000 declared, 200 bytes)', file: 'bomb.png', make: () => pngBomb(), expected: /too many pixels: 30000×30000 is 900 megapixels.*decompression bomb/ },
  { kind: 'decompression bomb JPEG (65000×65000 declared)', file: 'bomb.jpg', make: () => jpegBomb(), expected: /too many pixels: 65000×65000/ },
  { kind: 'huge dimensions, legitimate (12000×2 px strip)', file: 'strip.png', make: () => raw(12000, 2, 9).png().toBuffer(), expected: 'works', facts: { width: 12000, height: 2 } },
  { kind: '1×1 pixel', file: 'dot.png', make: () => raw(1, 1, 10).png().toBuffer(), expected: 'works', facts: { width: 1, height: 1 } },
  { kind: 'CMYK JPEG', file: 'cmyk.jpg', make: () => raw(80, 60, 11).toColourspace('cmyk').jpeg().toBuffer(), expected: 'works', facts: { format: 'jpeg', width: 80, height: 60 } },
  { kind: '16-bit PNG', file: 'deep.png', make: () => raw(70, 50, 12).toColourspace('rgb16').png().toBuffer(), expected: 'works', facts: { format: 'png', width: 70, height: 50 } },
  { kind: 'animated GIF (3 frames)', file: 'anim.gif', make: () => animated(40, 30, 3).gif().toBuffer(), expected: 'works', facts: { format: 'gif', width: 40, height: 30 } },
  { kind: 'animated WebP (3 frames)', file: 'anim.webp', make: () => animated(40, 30, 3).webp().toBuffer(), expected: 'works', facts: { format: 'webp', width: 40, height: 30 } },
  { kind: 'EXIF-rotated JPEG (orientation 6)', file: 'rotated.jpg', make: () => exifRotatedJpeg(120, 80), expected: 'works', facts: { width: 80, height: 120 } },
  { kind: 'broken EXIF block', file: 'bad-exif.jpg', make: () => brokenExifJpeg(), expected: 'works', facts: { format: 'jpeg', width: 64, height: 48 } },
  {
    kind: 'polyglot PNG + ZIP (archive appended)',
    file: 'polyglot-zip.png',
    make: async () => Buffer.concat([await picture('png', { seed: 13 }), zipOf('payload.html', Buffer.from('<script>alert(1)</script>'))]),
    expected: 'works',
    facts: { format: 'png' },
  },
  {
    kind: 'polyglot GIF header + HTML body',
    file: 'polyglot-html.gif',
    make: () => Buffer.from('GIF89a/*<html><body><script>fetch("http://example.invalid")</script></body></html>*/', 'latin1'),
    // The HTML's first bytes read as a 10799×26684 screen: refused before any decode.
    expected: /^(corrupt|truncated|not an image|too many pixels)/,
  },
  { kind: 'HTML page named .png', file: 'page.png', make: () => Buffer.from('<!doctype html><html><body><img src=x onerror=alert(1)></body></html>'), expected: /^not an image: the file contains text/ },
  { kind: 'SVG with external references', file: 'remote.svg', make: ({ svgUrl }) => svgWithExternalRefs(svgUrl), expected: /^unsupported format \(SVG\)/ },
  { kind: 'SVG with external references named .png', file: 'svg-in-disguise.png', make: ({ svgUrl }) => svgWithExternalRefs(svgUrl), expected: /^unsupported format \(SVG\)/ },
  { kind: 'HEIC that cannot be decoded (HEVC brand, junk body)', file: 'phone.heic', make: () => fakeHeic(), expected: /^(unsupported format|corrupt)/ },
  { kind: 'MP4 video named .jpg', file: 'clip.jpg', make: () => Buffer.concat([Buffer.from('\0\0\0\x18ftypisom\0\0\0\0isommp41', 'latin1'), Buffer.alloc(64)]), expected: /^unsupported format \(video or other media \(isom\)\)/ },
  { kind: 'gzip named .png', file: 'archive.png', make: () => zlib.gzipSync(Buffer.alloc(1000, 1)), expected: /^not an image: its contents are not a known picture format/ },
  {
    kind: 'PNG with a corrupted chunk checksum',
    file: 'bad-crc.png',
    make: async () => {
      const png = Buffer.from(await picture('png', { width: 40, height: 40, seed: 14 }));
      const idat = png.indexOf('IDAT', 0, 'latin1');
      png[idat + 8] = png[idat + 8]! ^ 0xff; // first byte of the compressed data: the CRC no longer matches
      return png;
    },
    expected: /^(corrupt|truncated)/,
  },
  {
    kind: 'JPEG whose frame header says 0×0',
    file: 'zero-size.jpg',
    make: async () => {
      const jpeg = Buffer.from(await raw(16, 16, 15).jpeg().toBuffer());
      const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
      jpeg.writeUInt16BE(0, sof + 5);
      jpeg.writeUInt16BE(0, sof + 7);
      return jpeg;
    },
    expected: /^(corrupt|truncated)/,
  },
  { kind: 'random bytes named .webp', file: 'noise.webp', make: () => Buffer.from(Array.from({ length: 500 }, (_, i) => (i * 7919) % 251)), expected: /^not an image/ },
];

// Which files an import looks at, and what their first bytes really are. The name
// decides what is worth reading (so a folder of notes and sidecars costs nothing);
// the bytes decide what the file is, because a name can lie (a text file renamed
// .jpg, a BMP saved as .png), and we refuse formats sharp can read but we do not
// accept (SVG can reference other files and run to any size; see SPEC "Import").

/** Formats an image row may have: sharp's names, with AV1-coded HEIF reported as avif. */
export const ACCEPTED_FORMATS = ['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif', 'heif'] as const;
export type AcceptedFormat = (typeof ACCEPTED_FORMATS)[number];

const IMAGE_EXTENSIONS = new Set([
  '.jpg', '.jpeg', '.jpe', '.jfif', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif', '.heic', '.heif',
]);

/** Picture formats people keep next to their photos that we do not import, by extension. */
const UNSUPPORTED_EXTENSIONS: Record<string, string> = {
  '.bmp': 'BMP', '.dib': 'BMP', '.svg': 'SVG', '.svgz': 'SVG', '.ico': 'ICO', '.cur': 'ICO', '.pdf': 'PDF',
  '.psd': 'Photoshop PSD', '.xcf': 'GIMP XCF', '.jp2': 'JPEG 2000', '.j2k': 'JPEG 2000', '.jpx': 'JPEG 2000',
  '.jxl': 'JPEG XL', '.tga': 'TGA', '.pcx': 'PCX', '.ppm': 'Netpbm', '.pgm': 'Netpbm', '.pbm': 'Netpbm',
  '.exr': 'OpenEXR', '.hdr': 'Radiance HDR', '.eps': 'EPS', '.raw': 'camera RAW', '.dng': 'camera RAW (DNG)',
  '.cr2': 'camera RAW (CR2)', '.cr3': 'camera RAW (CR3)', '.nef': 'camera RAW (NEF)', '.arw': 'camera RAW (ARW)',
  '.orf': 'camera RAW (ORF)', '.rw2': 'camera RAW (RW2)', '.raf': 'camera RAW (RAF)',
};

/** Files operating systems leave in folders; nobody means them as data. Lower case. */
const JUNK_NAMES = new Set(['thumbs.db', 'ehthumbs.db', 'desktop.ini', 'icon\r']);
const JUNK_FOLDERS = new Set(['__macosx', '$recycle.bin', 'system volume information']);

export type NameVerdict =
  | { kind: 'skip' }
  | { kind: 'image' }
  | { kind: 'error'; reason: string };

/** The lower-case extension of a name, with its dot, or '' when it has none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

/** Whether a folder met during a walk is entered at all (hidden and OS folders are not). */
export function isWalkableFolder(name: string): boolean {
  return !name.startsWith('.') && !JUNK_FOLDERS.has(name.toLowerCase());
}

/** Dotfiles and OS clutter are skipped silently (folder walks only). */
export function isJunkFile(name: string): boolean {
  return name.startsWith('.') || JUNK_NAMES.has(name.toLowerCase());
}

/** What to do with a file, judged by its name alone. */
export function judgeName(name: string): NameVerdict {
  const ext = extensionOf(name);
  if (IMAGE_EXTENSIONS.has(ext)) return { kind: 'image' };
  const unsupported = UNSUPPORTED_EXTENSIONS[ext];
  if (unsupported) return { kind: 'error', reason: unsupportedReason(unsupported) };
  return { kind: 'error', reason: `not an image file type (${ext || 'no extension'})` };
}

export function unsupportedReason(format: string): string {
  return `unsupported format (${format}): convert it to JPEG or PNG to import it`;
}

export type Sniffed =
  | { kind: 'image' }
  | { kind: 'unsupported'; format: string }
  | { kind: 'unknown'; text: boolean };

function ascii(buf: Uint8Array, at: number, text: string): boolean {
  if (buf.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (buf[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

function bytesAre(buf: Uint8Array, at: number, bytes: number[]): boolean {
  if (buf.length < at + bytes.length) return false;
  return bytes.every((b, i) => buf[at + i] === b);
}

// ISO base media files (HEIF, AVIF, but also MP4 and MOV) say what they are in the
// major brand of their first box.
const HEIF_BRANDS = new Set(['avif', 'avis', 'heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1']);

/** Identifies a file by its first bytes. Only the start of the buffer is looked at. */
export function sniff(buf: Uint8Array): Sniffed {
  if (bytesAre(buf, 0, [0xff, 0xd8, 0xff])) return { kind: 'image' };
  if (bytesAre(buf, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'image' };
  if (ascii(buf, 0, 'GIF87a') || ascii(buf, 0, 'GIF89a')) return { kind: 'image' };
  if (ascii(buf, 0, 'RIFF') && ascii(buf, 8, 'WEBP')) return { kind: 'image' };
  if (ascii(buf, 0, 'II*\0') || ascii(buf, 0, 'MM\0*') || ascii(buf, 0, 'II+\0') || ascii(buf, 0, 'MM\0+')) {
    return { kind: 'image' };
  }
  if (ascii(buf, 4, 'ftyp')) {
    const brand = Buffer.from(buf.subarray(8, 12)).toString('latin1');
    if (HEIF_BRANDS.has(brand)) return { kind: 'image' };
    if (brand === 'jxl ') return { kind: 'unsupported', format: 'JPEG XL' };
    if (brand.startsWith('jp2') || brand === 'jpx ') return { kind: 'unsupported', format: 'JPEG 2000' };
    if (brand.startsWith('crx')) return { kind: 'unsupported', format: 'camera RAW (CR3)' };
    return { kind: 'unsupported', format: `video or other media (${brand.trim()})` };
  }
  if (ascii(buf, 0, 'BM')) return { kind: 'unsupported', format: 'BMP' };
  if (bytesAre(buf, 0, [0, 0, 1, 0]) || bytesAre(buf, 0, [0, 0, 2, 0])) return { kind: 'unsupported', format: 'ICO' };
  if (ascii(buf, 0, '%PDF')) return { kind: 'unsupported', format: 'PDF' };
  if (ascii(buf, 0, '8BPS')) return { kind: 'unsupported', format: 'Photoshop PSD' };
  if (ascii(buf, 0, 'gimp xcf')) return { kind: 'unsupported', format: 'GIMP XCF' };
  if (bytesAre(buf, 0, [0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20]) || bytesAre(buf, 0, [0xff, 0x4f, 0xff, 0x51])) {
    return { kind: 'unsupported', format: 'JPEG 2000' };
  }
  if (bytesAre(buf, 0, [0xff, 0x0a]) || bytesAre(buf, 0, [0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20])) {
    return { kind: 'unsupported', format: 'JPEG XL' };
  }
  if (bytesAre(buf, 0, [0x76, 0x2f, 0x31, 0x01])) return { kind: 'unsupported', format: 'OpenEXR' };
  if (bytesAre(buf, 0, [0x1f, 0x8b])) return { kind: 'unknown', text: false };
  const head = Buffer.from(buf.subarray(0, 1024)).toString('latin1');
  if (/^(\ufeff|ï»¿)?\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(head)) {
    return { kind: 'unsupported', format: 'SVG' };
  }
  if (/^P[1-7]\s/.test(head)) return { kind: 'unsupported', format: 'Netpbm' };
  return { kind: 'unknown', text: looksLikeText(buf) };
}

function looksLikeText(buf: Uint8Array): boolean {
  const n = Math.min(buf.length, 512);
  let printable = 0;
  for (let i = 0; i < n; i++) {
    const b = buf[i]!;
    if (b === 0) return false;
    if (b === 9 || b === 10 || b === 13 || b >= 32) printable++;
  }
  return n > 0 && printable / n > 0.95;
}

/** The reason listed for a file whose bytes are no picture format we know. */
export function notAnImageReason(sniffed: { text: boolean }): string {
  return sniffed.text
    ? 'not an image: the file contains text, not picture data (was it renamed?)'
    : 'not an image: its contents are not a known picture format (was it renamed?)';
}

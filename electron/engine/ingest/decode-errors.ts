// Turns what the filesystem or libvips says into a reason a person can act on. The
// original message is kept in parentheses: it is what a forum search needs.

function codeOf(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]!.trim();
}

export function ioErrorReason(err: unknown): string {
  switch (codeOf(err)) {
    case 'ENOENT':
      return 'file not found (it was moved or deleted, or the path is misspelt)';
    case 'EACCES':
    case 'EPERM':
      return "unreadable: permission denied (check the file's permissions)";
    case 'ELOOP':
      return 'symbolic link loop: the link leads back to itself';
    case 'ENOTDIR':
      return 'file not found (a folder in its path is a file)';
    case 'EISDIR':
      return 'is a folder, not an image file';
    case 'EIO':
      return 'unreadable: the disk reported a read error';
    case 'ENAMETOOLONG':
      return 'unreadable: the path is too long';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EROFS':
      return 'the disk is read-only';
    default:
      return `unreadable: ${messageOf(err)}`;
  }
}

export function tooManyPixelsReason(width: number, height: number, maxPixels: number): string {
  const mp = (n: number) => (n >= 1e6 ? `${Math.round(n / 1e5) / 10} megapixels` : `${n} pixels`);
  const size = width && height ? `${width}×${height} is ${mp(width * height)}, ` : '';
  return `too many pixels: ${size}over the limit of ${mp(maxPixels)} (a possible decompression bomb)`;
}

/**
 * Whether a JPEG or PNG stops before its end marker (JPEG's EOI, PNG's IEND chunk).
 * libvips' own message says so most of the time, but its error text is shared between
 * threads and sometimes arrives as "Unknown error": the bytes themselves never lie.
 */
export function endsEarly(bytes: Uint8Array | undefined): boolean {
  if (!bytes || bytes.length < 12) return false;
  const n = bytes.length;
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return !(bytes[n - 2] === 0xff && bytes[n - 1] === 0xd9);
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
    return Buffer.from(bytes.buffer, bytes.byteOffset + n - 8, 4).toString('latin1') !== 'IEND';
  }
  return false;
}

/** The reason for an error thrown by sharp while reading a file whose first bytes looked right. */
export function judgeDecodeError(err: unknown, maxPixels: number, bytes?: Uint8Array): string {
  const message = messageOf(err);
  if (/pixel limit/i.test(message)) return tooManyPixelsReason(0, 0, maxPixels);
  if (/premature end|truncat|unexpected end|end of (file|stream|data|input)|not enough (data|image data)|short read/i.test(message)) {
    return `truncated: the file ends before the picture does (${message}); copy it again from its source`;
  }
  if (/unsupported image format/i.test(message)) {
    return `not an image: its contents are not a known picture format (${message})`;
  }
  // Prebuilt libvips decodes AV1 HEIF (AVIF) but not HEVC HEIF (most iPhone HEIC files).
  if (/unsupported codec|no decoding plugin|unsupported feature|compression format has not been built in/i.test(message)) {
    return `unsupported format (${message}): convert it to JPEG or PNG to import it`;
  }
  if (endsEarly(bytes)) return `truncated: the file ends before the picture does (${message}); copy it again from its source`;
  return `corrupt: the picture data could not be decoded (${message})`;
}

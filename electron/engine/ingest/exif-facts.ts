// What import keeps from a picture's EXIF block: its orientation (for the displayed
// size) and when it was taken. One parse serves both.
//
// EXIF stores the camera's wall-clock time without a zone; exif-reader turns it into
// a Date *as if* it were UTC. We keep it as what it is: a local time
// "YYYY-MM-DDTHH:MM:SS", with the offset appended when the camera recorded one
// (OffsetTimeOriginal, EXIF 2.31). Strings of one camera sort in capture order, which
// is what grouping bursts of shots needs.
import exifReader from 'exif-reader';

export interface ExifFacts {
  /** EXIF orientation 1–8 (1 = as stored); null when absent or invalid. */
  orientation: number | null;
  /** DateTimeOriginal, else DateTime, as an ISO string; null when absent or unreadable. */
  capturedAt: string | null;
}

function wallClock(d: unknown): string | null {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) return null;
  const year = d.getUTCFullYear();
  // Cameras with an unset clock write 0000:00:00 or 1970; neither is a capture time.
  if (year < 1980 || year > 2200) return null;
  return d.toISOString().slice(0, 19);
}

export function readExif(exif: Buffer | undefined): ExifFacts {
  const none: ExifFacts = { orientation: null, capturedAt: null };
  if (!exif || exif.length < 8) return none;
  let tags: exifReader.Exif;
  try {
    tags = exifReader(exif);
  } catch {
    return none; // A broken EXIF block is no reason to refuse the picture.
  }
  const o = tags.Image?.Orientation;
  const orientation = typeof o === 'number' && Number.isInteger(o) && o >= 1 && o <= 8 ? o : null;
  let capturedAt = wallClock(tags.Photo?.DateTimeOriginal);
  if (capturedAt) {
    const offset = tags.Photo?.OffsetTimeOriginal;
    if (typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset)) capturedAt += offset;
  } else {
    capturedAt = wallClock(tags.Image?.DateTime);
  }
  return { orientation, capturedAt };
}

// Groups from capture times: shots at most `seconds` apart chain into one burst (a, b
// 3 s apart and b, c 3 s apart are one burst with a 2-s gap, even though a and c are
// 6 s apart). Images without a capture time are left out: each is a group of its own.
//
// EXIF times are the camera's wall clock. A time without an offset is read as if it
// were UTC, a time with one ("+02:00") is converted: times from one camera compare
// correctly; times from cameras in different zones without offsets cannot be told apart.

export interface TimedImage {
  index: number;
  capturedAt: string | null;
}

/** Seconds since 1970 of an EXIF time as the importer stores it; null when unreadable. */
export function captureSeconds(capturedAt: string | null): number | null {
  if (!capturedAt) return null;
  const iso = /[+-]\d{2}:\d{2}$|Z$/.test(capturedAt) ? capturedAt : `${capturedAt}Z`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms / 1000;
}

/** Bursts of two or more images (as lists of `index`), in time order. */
export function timeBursts(images: readonly TimedImage[], seconds: number): number[][] {
  const timed: { index: number; t: number }[] = [];
  for (const img of images) {
    const t = captureSeconds(img.capturedAt);
    if (t !== null) timed.push({ index: img.index, t });
  }
  timed.sort((a, b) => a.t - b.t || a.index - b.index);
  const bursts: number[][] = [];
  let current: number[] = [];
  for (let k = 0; k < timed.length; k++) {
    if (k > 0 && timed[k]!.t - timed[k - 1]!.t > seconds) {
      if (current.length > 1) bursts.push(current);
      current = [];
    }
    current.push(timed[k]!.index);
  }
  if (current.length > 1) bursts.push(current);
  return bursts;
}

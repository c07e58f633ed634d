// Numbers, sizes, rates and durations in the plain words the screens use.
// Pure functions: no DOM, no Svelte, so they are unit-tested directly.

const countFormat = new Intl.NumberFormat('en-US');

/** 12345 -> "12,345" */
export function formatCount(n: number): string {
  return countFormat.format(Math.round(n));
}

/** plural(1, 'image') -> "1 image"; plural(3, 'image') -> "3 images" */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : pluralForm}`;
}

const BYTE_UNITS = ['KB', 'MB', 'GB', 'TB'] as const;

/** File sizes in decimal units, as file managers show them: 0 -> "0 bytes", 1536 -> "1.5 KB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1000) return plural(bytes, 'byte');
  let value = bytes;
  let unit = -1;
  // 999,999 bytes is "1 MB", not "1000 KB": carry while rounding would reach 1000.
  do {
    value /= 1000;
    unit += 1;
  } while (value >= 999.5 && unit < BYTE_UNITS.length - 1);
  const digits = value < 9.95 ? 1 : 0;
  return `${value.toFixed(digits).replace(/\.0$/, '')} ${BYTE_UNITS[unit]}`;
}

/** Files per second: "0.4 files/s", "12 files/s", "1,250 files/s"; "—" before a rate is known. */
export function formatRate(perSecond: number, unit = 'files'): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return '—';
  const text = perSecond < 10 ? perSecond.toFixed(1).replace(/\.0$/, '') : formatCount(perSecond);
  return `${text} ${unit}/s`;
}

/**
 * Time left in words, rounded the way people say it:
 * null -> "estimating…", 3 -> "a few seconds left", 42 -> "about 40 seconds left",
 * 150 -> "about 3 minutes left", 5400 -> "about 1 hour 30 minutes left".
 */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return 'estimating…';
  if (seconds < 10) return 'a few seconds left';
  if (seconds < 55) return `about ${Math.round(seconds / 10) * 10} seconds left`;
  if (seconds < 90) return 'about a minute left';
  const minutes = Math.round(seconds / 60);
  if (minutes < 10) return `about ${minutes} minutes left`;
  // Past ten minutes, nobody needs the exact minute.
  const rounded = Math.round(minutes / 5) * 5;
  if (rounded < 60) return `about ${rounded} minutes left`;
  const hours = Math.floor(rounded / 60);
  const rest = rounded % 60;
  return rest === 0 ? `about ${plural(hours, 'hour')} left` : `about ${plural(hours, 'hour')} ${rest} minutes left`;
}

/** A duration that already happened: 0.42 -> "0.4 seconds", 75 -> "1 min 15 s", 3720 -> "1 h 2 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 10) return `${seconds.toFixed(1)} seconds`;
  if (seconds < 60) return `${Math.round(seconds)} seconds`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h} h ${m} min`;
  return rest === 0 ? `${m} min` : `${m} min ${rest} s`;
}

/** Whole-number percentage for progress bars, clamped to 0..100; 0 when the total is unknown. */
export function percent(done: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.max(0, Math.min(100, Math.floor((done / total) * 100)));
}

/** "2024-05-01T10:20:30Z" -> "1 May 2024, 10:20" in the user's locale; the input unchanged if unparsable. */
export function formatDateTime(iso: string | null | undefined, locale?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

/** "3 days ago", "just now": how long since a moment, for recent-project lists. */
export function formatAgo(iso: string, now: number = Date.now()): string {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return '';
  const seconds = Math.round((now - then) / 1000);
  if (seconds < 45) return 'just now';
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  const steps: Array<[number, Intl.RelativeTimeFormatUnit]> = [
    [60, 'second'],
    [60, 'minute'],
    [24, 'hour'],
    [7, 'day'],
    [4.345, 'week'],
    [12, 'month'],
    [Number.POSITIVE_INFINITY, 'year'],
  ];
  let value = seconds;
  for (const [size, unit] of steps) {
    if (Math.abs(value) < size) return rtf.format(-Math.round(value), unit);
    value /= size;
  }
  return '';
}

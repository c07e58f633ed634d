// How large a CSV the import and label commands accept. Both parse the whole file in
// memory (with line numbers for every row's errors), at roughly 30,000 rows a second and
// 1 KB of memory per row on a 2-core laptop: a million-row file took 32 s and 1 GB before
// this limit. 250,000 rows is well above the 100,000 images a project is built for, and
// is refused at once, by counting line breaks, before anything is parsed.

export const MAX_CSV_ROWS = 250_000;
/** 250,000 rows of long paths fit in far less; larger files are refused before they are read. */
export const MAX_CSV_BYTES = 100 * 1024 * 1024;

/** Line breaks are an upper bound on rows (a quoted cell may hold one), counted without decoding. */
export function countLines(bytes: Uint8Array): number {
  let lines = 0;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) lines++;
  // A last line without a line break is still a row.
  if (bytes.length > 0 && bytes[bytes.length - 1] !== 10) lines++;
  return lines;
}

/** Why a CSV is too large to read, or null when it is not. */
export function csvTooLargeReason(bytes: number, lines: number | null): string | null {
  if (bytes > MAX_CSV_BYTES) {
    return `the CSV is ${Math.round(bytes / 1024 / 1024)} MB, over the limit of ${MAX_CSV_BYTES / 1024 / 1024} MB: split it into smaller files`;
  }
  if (lines !== null && lines > MAX_CSV_ROWS) {
    return `the CSV has ${lines.toLocaleString('en-US')} lines, over the limit of ${MAX_CSV_ROWS.toLocaleString('en-US')} rows: split it into smaller files and import them one after another`;
  }
  return null;
}

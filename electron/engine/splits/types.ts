// The vocabulary of the split engine, shared by its pure functions. Nothing here reads
// the database: the store loads SplitImage rows, the engine decides, the store saves.

export const SPLITS = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLITS)[number];

/** Percent per split; each 0–100, together 100. */
export type Ratios = Record<SplitName, number>;

export const DEFAULT_RATIOS: Ratios = { train: 70, validation: 15, test: 15 };

/** Where groups of correlated images come from (one or more, merged). */
export type GroupSource =
  /** images.group_name: the sub-folder below the class folder, written by a folder import. */
  | { kind: 'folder' }
  /** images.group_name too: the CSV import writes its group column there (see grouping.ts). */
  | { kind: 'csv' }
  /** A regular expression on the file name: the first capture group, else the whole match. */
  | { kind: 'regex'; pattern: string }
  /** Images linked by chains of perceptual-hash distances within `threshold` bits. */
  | { kind: 'near-duplicates'; threshold: number }
  /** Capture times at most `seconds` apart chain into one burst. */
  | { kind: 'time'; seconds: number };

/** One labeled, included image: all the split engine needs to know about it. */
export interface SplitImage {
  id: number;
  classId: number;
  sha256: string;
  /** 16 hex digits. */
  phash: string;
  /** Path relative to the imported folder or CSV, '/'-separated; its last part is the file name. */
  relPath: string;
  group: string | null;
  /** EXIF wall-clock time "YYYY-MM-DDTHH:MM:SS", maybe with "+HH:MM"; null when unknown. */
  capturedAt: string | null;
}

export interface ClassRef {
  id: number;
  name: string;
}

/** Counts per split. */
export type SplitCounts = Record<SplitName, number>;

export function emptyCounts(): SplitCounts {
  return { train: 0, validation: 0, test: 0 };
}

export function splitIndex(name: SplitName): number {
  return SPLITS.indexOf(name);
}

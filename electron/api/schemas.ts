// The shapes that cross the process boundary: requests, responses and events.
// Written once here; the contract (contract.ts) names the methods that use them.
// Runs everywhere (main, preload, renderer, bridge, CLI), so it imports only zod.
import { z } from 'zod';

/** An absolute or relative filesystem path typed by the user or picked in a dialog. */
export const PathString = z
  .string()
  .min(1, 'a path is required')
  .max(4096, 'the path is longer than 4096 characters')
  .refine((p) => !p.includes('\0'), 'the path contains a NUL character');

export const Id = z.number().int().positive();

export const ProjectSummary = z.object({
  dir: z.string(),
  name: z.string(),
  schemaVersion: z.number().int(),
  imageCount: z.number().int(),
  classCount: z.number().int(),
  createdAt: z.string(),
  /** The folder cannot be written: the app shows the project and refuses changes. */
  readOnly: z.boolean(),
});
export type ProjectSummary = z.infer<typeof ProjectSummary>;

export const RecentProject = z.object({
  dir: z.string(),
  name: z.string(),
  openedAt: z.string(),
  exists: z.boolean(),
});
export type RecentProject = z.infer<typeof RecentProject>;

export const ClassInfo = z.object({
  id: Id,
  name: z.string(),
  count: z.number().int(),
});
export type ClassInfo = z.infer<typeof ClassInfo>;

export const ImageStatus = z.enum(['ok', 'excluded']);
export type ImageStatus = z.infer<typeof ImageStatus>;

/** Which images a grid shows. `classId: null` means "unlabeled"; absent means any. */
export const ImageFilter = z
  .object({
    classId: Id.nullable().optional(),
    status: ImageStatus.optional(),
    /** Curation views and the quiz leave the current split's test images out unless this is true (the lockbox). */
    includeTest: z.boolean().optional(),
  })
  .strict();
export type ImageFilter = z.infer<typeof ImageFilter>;

/** One tile of the grid: only what the grid paints. */
export const ImageTile = z.object({
  id: Id,
  sha256: z.string(),
  classId: Id.nullable(),
  width: z.number().int(),
  height: z.number().int(),
  status: ImageStatus,
  /**
   * True for an image in the current split's test set. Set only where test images can
   * show (a view asked for them with includeTest), so the grid can badge them "test".
   */
  inTest: z.boolean().optional(),
});
export type ImageTile = z.infer<typeof ImageTile>;

export const ImageDetail = ImageTile.extend({
  path: z.string(),
  relPath: z.string(),
  className: z.string().nullable(),
  group: z.string().nullable(),
  bytes: z.number().int(),
  format: z.string(),
  phash: z.string(),
  capturedAt: z.string().nullable(),
  addedAt: z.string(),
  excludeReason: z.string().nullable(),
  /** Other images in the project with the same bytes (exact duplicates). */
  duplicateIds: z.array(Id),
});
export type ImageDetail = z.infer<typeof ImageDetail>;

export const ImportError = z.object({
  path: z.string(),
  reason: z.string(),
});
export type ImportError = z.infer<typeof ImportError>;

export const ImportSource = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('folder'),
      folder: PathString,
      /** Ignore sub-folder names: import everything as unlabeled. */
      unlabeled: z.boolean().optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('csv'),
      csv: PathString,
      /** Folder that relative paths in the CSV are resolved against; default: the CSV's own folder. */
      baseDir: PathString.optional(),
    })
    .strict(),
]);
export type ImportSource = z.infer<typeof ImportSource>;

export const ImportProgress = z.object({
  importId: Id,
  phase: z.enum(['scanning', 'processing', 'finishing']),
  done: z.number().int(),
  total: z.number().int(),
  imported: z.number().int(),
  skipped: z.number().int(),
  errors: z.number().int(),
  /** Files per second over the last few seconds. */
  rate: z.number(),
  /** Seconds left at the current rate; null until a rate is known. */
  etaSeconds: z.number().nullable(),
});
export type ImportProgress = z.infer<typeof ImportProgress>;

export const ImportSummary = z.object({
  importId: Id,
  status: z.enum(['done', 'cancelled', 'failed']),
  source: z.string(),
  /** New images added to the project. */
  imported: z.number().int(),
  /** Files the project already had (same path, unchanged): re-import adds only what is new. */
  skippedDuplicates: z.number().int(),
  /** Files already in the project whose content changed on disk; their metadata was refreshed. */
  updated: z.number().int(),
  /** Imported images whose bytes equal an image already in the project (kept; shown as exact duplicates). */
  exactDuplicates: z.number().int(),
  errors: z.array(ImportError),
  seconds: z.number(),
  message: z.string().optional(),
});
export type ImportSummary = z.infer<typeof ImportSummary>;

export const DirEntry = z.object({
  name: z.string(),
  path: z.string(),
  isDir: z.boolean(),
});

export const AppInfo = z.object({
  version: z.string(),
  /** 'electron' inside the desktop app, 'web' through the bridge. */
  shell: z.enum(['electron', 'web']),
  platform: z.string(),
  homeDir: z.string(),
});

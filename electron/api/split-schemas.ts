// The shapes of the split wizard, the leakage check and the test lockbox. Kept apart
// from schemas.ts like the curation shapes. Imports only zod and the shared shapes.
import { z } from 'zod';
import { MAX_HASH_DISTANCE } from './limits.js';
import { Seed } from './curation-schemas.js';
import { Id } from './schemas.js';

export const SplitName = z.enum(['train', 'validation', 'test']);

const Percent = z.number().min(0, 'a share cannot be below 0').max(100, 'a share cannot be above 100');
/** Percent per split. Each 0–100; the engine checks that they add up to 100 and that train is above 0. */
export const SplitRatios = z.object({ train: Percent, validation: Percent, test: Percent }).strict();

/** Bits of 64 within which two perceptual hashes count as near duplicates. */
export const HashDistance = z
  .number()
  .int()
  .min(0, `the distance is 0 to ${MAX_HASH_DISTANCE} bits`)
  .max(MAX_HASH_DISTANCE, `the distance is 0 to ${MAX_HASH_DISTANCE} bits`);

export const GroupSource = z.discriminatedUnion('kind', [
  /** The sub-folder below the class folder (images.group_name). */
  z.object({ kind: z.literal('folder') }).strict(),
  /** The CSV's group column: stored in the same place as folder groups. */
  z.object({ kind: z.literal('csv') }).strict(),
  /** A regular expression on the file name; the engine checks and limits it. */
  z.object({ kind: z.literal('regex'), pattern: z.string().max(1000) }).strict(),
  z.object({ kind: z.literal('near-duplicates'), threshold: HashDistance.default(6) }).strict(),
  /** Capture times at most this many seconds apart form one burst (up to a day). */
  z.object({ kind: z.literal('time'), seconds: z.number().min(0).max(86_400, 'a burst gap is at most 86400 seconds (a day)') }).strict(),
]);

export const SplitRequest = z
  .object({
    ratios: SplitRatios.default({ train: 70, validation: 15, test: 15 }),
    /** Absent: a new seed is drawn and reported, so the split can be made again. */
    seed: Seed.optional(),
    /** Several sources are merged; exact copies are always kept together. */
    grouping: z.array(GroupSource).max(5, 'at most 5 group sources').default([]),
    /** Distance of the leakage check; default: the near-duplicate grouping's, else 6. */
    threshold: HashDistance.optional(),
  })
  .strict();

export const SplitCounts = z.object({ train: z.number().int(), validation: z.number().int(), test: z.number().int() });
export const SplitShares = z.object({ train: z.number(), validation: z.number(), test: z.number() });

export const ClassSplit = z.object({
  classId: Id,
  name: z.string(),
  counts: SplitCounts,
  total: z.number().int(),
  /** Percent of the class's images in each split. */
  achieved: SplitShares,
});

export const SplitWarning = z.object({
  kind: z.enum(['missing_class', 'few_images', 'large_group', 'near_duplicates', 'groups_crossing', 'no_groups', 'held_back']),
  message: z.string(),
});

/** sha256 keys the thumbnail, so the pairs show as pictures. */
export const LeakedImage = z.object({ id: Id, sha256: z.string(), relPath: z.string(), classId: Id, split: SplitName });
export const LeakageReport = z.object({
  threshold: z.number().int(),
  /** All near-duplicate pairs whose two images sit in different splits. */
  nearDuplicatePairs: z.number().int(),
  /** The closest of them (up to 50). */
  pairs: z.array(z.object({ a: LeakedImage, b: LeakedImage, distance: z.number().int() })),
  groupsCrossing: z.number().int(),
  /** The largest of them (up to 50). */
  groups: z.array(z.object({ source: z.string(), name: z.string(), counts: SplitCounts })),
});

export const SplitVersionSummary = z.object({
  id: Id,
  /** The version this one extended with new images; null for a split made from scratch. */
  parentId: Id.nullable(),
  createdAt: z.string(),
  seed: Seed,
  ratios: SplitShares,
  grouping: z.array(GroupSource),
  threshold: z.number().int(),
  allowTest: z.boolean(),
  imageCount: z.number().int(),
  counts: SplitCounts,
  /** Times its test set has been opened for an evaluation. */
  testUses: z.number().int(),
});

/** The split in force, with how many labeled, included images it does not place yet. */
export const CurrentSplit = SplitVersionSummary.extend({
  /** Labeled, included images that are in no split of this version (labeled or imported since): split.assignNew places them. */
  unassigned: z.number().int(),
});

export const SplitReport = z.object({
  /** The saved version; null for a preview. */
  version: SplitVersionSummary.nullable(),
  seed: Seed,
  ratios: SplitShares,
  grouping: z.array(GroupSource),
  counts: SplitCounts,
  total: z.number().int(),
  /** Percent of all split images in each split. */
  achieved: SplitShares,
  perClass: z.array(ClassSplit),
  unlabeledSkipped: z.number().int(),
  excludedSkipped: z.number().int(),
  groups: z.object({
    /** Groups the images form (an ungrouped image is a group of one). */
    count: z.number().int(),
    /** Images in groups of two or more. */
    groupedImages: z.number().int(),
    largest: z.number().int(),
  }),
  leakage: LeakageReport,
  warnings: z.array(SplitWarning),
});

export const AssignNewResult = z.object({
  /** False when there was nothing new to place: no version was made. */
  created: z.boolean(),
  version: SplitVersionSummary,
  added: SplitCounts,
  addedPerClass: z.array(ClassSplit),
  /** New images placed in no split (see the warnings for why). */
  heldBack: z.number().int(),
  counts: SplitCounts,
  achieved: SplitShares,
  perClass: z.array(ClassSplit),
  unlabeledSkipped: z.number().int(),
  excludedSkipped: z.number().int(),
  leakage: LeakageReport,
  warnings: z.array(SplitWarning),
});

export const LedgerEntry = z.object({
  id: Id,
  splitVersionId: Id,
  /** The n-th opening of this test set (1 = the first). */
  useNumber: z.number().int(),
  runId: Id.nullable(),
  model: z.string(),
  testImages: z.number().int(),
  createdAt: z.string(),
  result: z.unknown(),
  resultAt: z.string().nullable(),
  reused: z.boolean(),
  /** "test set reused (n)" from the second use on, shown wherever the result appears. */
  reuseMark: z.string().nullable(),
});

export const LockboxStatus = z.object({
  splitVersionId: Id,
  testImages: z.number().int(),
  uses: z.number().int(),
  reuseNeedsConfirmation: z.boolean(),
  entries: z.array(LedgerEntry),
});

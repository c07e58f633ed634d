// The contract's methods for the split wizard, the leakage check and the test lockbox.
// Spread into `methods` in contract.ts, so they are validated and bridged like all others.
import { z } from 'zod';
import { Id } from './schemas.js';
import {
  AssignNewResult,
  CurrentSplit,
  HashDistance,
  LeakageReport,
  LedgerEntry,
  LockboxStatus,
  SplitReport,
  SplitRequest,
  SplitVersionSummary,
} from './split-schemas.js';

function method<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) {
  return { request, response };
}

const Empty = z.object({}).strict();

export const splitMethods = {
  /** What a split with these settings would be: counts, achieved shares, leakage, warnings. Saves nothing. */
  'split.preview': method(SplitRequest, SplitReport),
  /** Makes the split and saves it as a new, immutable version: the split in force from now on. */
  'split.save': method(SplitRequest, SplitReport),
  /** Every saved version, newest first. */
  'split.list': method(Empty, z.object({ versions: z.array(SplitVersionSummary), currentId: Id.nullable() })),
  /** The split in force (the newest version) with the count of images it lacks, or null before the first. */
  'split.current': method(Empty, CurrentSplit.nullable()),
  /**
   * Places images labeled or imported since the current split by its rules, into train
   * and validation only unless `allowTest`; saves the result as a new version.
   */
  'split.assignNew': method(
    z.object({ allowTest: z.boolean().default(false), threshold: HashDistance.optional() }).strict(),
    AssignNewResult,
  ),
  /** Near-duplicate pairs and groups across the splits of a version (default: the current one). */
  'split.leakage': method(
    z.object({ versionId: Id.optional(), threshold: HashDistance.optional() }).strict(),
    LeakageReport.extend({ versionId: Id }),
  ),

  /** How often a version's test set has been opened, and the ledger of those openings. */
  'lockbox.status': method(z.object({ versionId: Id.optional() }).strict(), LockboxStatus),
  /**
   * Opens the test set for one evaluation: needs `confirm: true`, and `confirmReuse: true`
   * when the test set was opened before. Writes the ledger row, then returns the test images.
   */
  'lockbox.open': method(
    z
      .object({
        versionId: Id.optional(),
        model: z.string().trim().min(1, 'say which model is evaluated').max(500),
        runId: Id.nullable().optional(),
        confirm: z.boolean().optional(),
        confirmReuse: z.boolean().optional(),
      })
      .strict(),
    z.object({ entry: LedgerEntry, testImageIds: z.array(Id), testUses: z.number().int(), reused: z.boolean() }),
  ),
  /** Records the result of an opened evaluation, once. */
  'lockbox.record': method(z.object({ entryId: Id, result: z.record(z.string(), z.unknown()) }).strict(), LedgerEntry),
  /** The ledger, oldest first: all of it, or the entries of one version's test set. */
  'lockbox.ledger': method(z.object({ versionId: Id.optional() }).strict(), z.object({ entries: z.array(LedgerEntry) })),
} as const;

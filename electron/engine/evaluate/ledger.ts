// The test lockbox over the database. The only way to the test images' ids is
// openLockbox, which checks the confirmations and writes the ledger row first, in the
// same transaction: a use is counted whether or not a result follows, since the test
// images were released. The evaluator then records the result with recordTestResult.
import type Database from 'better-sqlite3';
import { ApiError } from '../../api/errors.js';
import { checkLockboxConsent, reuseMark, type Consent } from '../splits/lockbox-rules.js';
import { LedgerRepo, type LedgerEntry } from '../store/ledger-repo.js';
import { SplitsRepo, type SplitVersion } from '../store/splits-repo.js';

export interface MarkedEntry extends LedgerEntry {
  reused: boolean;
  reuseMark: string | null;
}

export interface OpenedLockbox {
  entry: MarkedEntry;
  testImageIds: number[];
  /** How many times this test set has now been opened, this time included. */
  testUses: number;
  reused: boolean;
}

export interface LockboxStatus {
  splitVersionId: number;
  testImages: number;
  /** Times this version's test set has been opened (by this or any version with the same test set). */
  uses: number;
  /** Whether the next opening needs confirmReuse too. */
  reuseNeedsConfirmation: boolean;
  entries: MarkedEntry[];
}

export function marked(entry: LedgerEntry): MarkedEntry {
  return { ...entry, reused: entry.useNumber > 1, reuseMark: reuseMark(entry.useNumber) };
}

/** The version asked for, or the current one; a clear error when there is none. */
export function splitVersionOrCurrent(db: Database.Database, versionId: number | undefined): SplitVersion {
  const repo = new SplitsRepo(db);
  const version = versionId === undefined ? repo.current() : repo.get(versionId);
  if (!version) {
    throw versionId === undefined
      ? new ApiError('not_found', 'no split has been saved yet: make a split first')
      : new ApiError('not_found', `there is no split version ${versionId}`, 'versionId');
  }
  return version;
}

export interface OpenRequest extends Consent {
  versionId?: number | undefined;
  /** What is being evaluated, in words ("run 12, ensemble of 3"). */
  model: string;
  runId?: number | null | undefined;
}

export function openLockbox(db: Database.Database, request: OpenRequest): OpenedLockbox {
  const ledger = new LedgerRepo(db);
  const open = db.transaction(() => {
    const version = splitVersionOrCurrent(db, request.versionId);
    const testImageIds = new SplitsRepo(db).imageIds(version.id, 'test');
    if (testImageIds.length === 0) {
      throw new ApiError('conflict', `split version ${version.id} has no test images: there is nothing to evaluate on`, 'versionId');
    }
    const prior = ledger.uses(version.testFingerprint);
    checkLockboxConsent(prior, request);
    const entry = ledger.insert({
      splitVersionId: version.id,
      testFingerprint: version.testFingerprint,
      useNumber: prior + 1,
      runId: request.runId ?? null,
      model: request.model,
      testImages: testImageIds.length,
    });
    return { entry: marked(entry), testImageIds, testUses: entry.useNumber, reused: entry.useNumber > 1 };
  });
  // IMMEDIATE: two openings at once cannot both count themselves first.
  return open.immediate();
}

export function recordTestResult(db: Database.Database, entryId: number, result: unknown): MarkedEntry {
  const ledger = new LedgerRepo(db);
  return db.transaction(() => {
    const entry = ledger.get(entryId);
    if (!entry) throw new ApiError('not_found', `there is no test evaluation ${entryId} in the ledger`, 'entryId');
    if (entry.result !== null) {
      throw new ApiError('conflict', `test evaluation ${entryId} already has its result; a result is recorded once`, 'entryId');
    }
    return marked(ledger.setResult(entryId, result));
  }).immediate();
}

export function lockboxStatus(db: Database.Database, versionId?: number): LockboxStatus {
  const version = splitVersionOrCurrent(db, versionId);
  const entries = new LedgerRepo(db).forTestSet(version.testFingerprint).map(marked);
  return {
    splitVersionId: version.id,
    testImages: new SplitsRepo(db).counts(version.id).test,
    uses: entries.length,
    reuseNeedsConfirmation: entries.length >= 1,
    entries,
  };
}

/** The ledger, oldest first: every entry, or those of one version's test set. */
export function ledgerEntries(db: Database.Database, versionId?: number): MarkedEntry[] {
  const ledger = new LedgerRepo(db);
  if (versionId === undefined) return ledger.all().map(marked);
  return ledger.forTestSet(splitVersionOrCurrent(db, versionId).testFingerprint).map(marked);
}

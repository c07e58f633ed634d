// Split versions and their assignments (migration 3). Writes happen once per version,
// in one transaction; the schema's triggers refuse any later change.
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { GroupSource, Ratios, SplitCounts, SplitImage, SplitName } from '../splits/types.js';

export interface SplitVersion {
  id: number;
  parentId: number | null;
  seed: number;
  ratios: Ratios;
  grouping: GroupSource[];
  /** Perceptual-hash distance of the leakage check recorded with the split. */
  threshold: number;
  /** For a version that placed new images: whether they could go to test. */
  allowTest: boolean;
  imageCount: number;
  testFingerprint: string;
  /** What was reported when it was saved (counts, per class, warnings), as saved. */
  report: unknown;
  createdAt: string;
}

export interface NewSplitVersion {
  parentId: number | null;
  seed: number;
  ratios: Ratios;
  grouping: readonly GroupSource[];
  threshold: number;
  allowTest: boolean;
  report: unknown;
}

export interface LoadedImages {
  /** Labeled images with status ok: the ones a split places, in id order. */
  images: SplitImage[];
  /** Unlabeled images with status ok (not split: nothing to learn from them). */
  unlabeled: number;
  /** Images excluded from training (not split). */
  excluded: number;
}

interface VersionRow {
  id: number;
  parent_id: number | null;
  seed: number;
  train_pct: number;
  validation_pct: number;
  test_pct: number;
  grouping: string;
  threshold: number;
  allow_test: number;
  image_count: number;
  test_fingerprint: string;
  report: string;
  created_at: string;
}

function fromRow(r: VersionRow): SplitVersion {
  return {
    id: r.id,
    parentId: r.parent_id,
    seed: r.seed,
    ratios: { train: r.train_pct, validation: r.validation_pct, test: r.test_pct },
    grouping: JSON.parse(r.grouping) as GroupSource[],
    threshold: r.threshold,
    allowTest: r.allow_test === 1,
    imageCount: r.image_count,
    testFingerprint: r.test_fingerprint,
    report: JSON.parse(r.report) as unknown,
    createdAt: r.created_at,
  };
}

/** One identity per test set: the same images give the same fingerprint, whatever the version. */
export function testFingerprint(testIds: readonly number[]): string {
  const sorted = Uint32Array.from(testIds).sort();
  return createHash('sha256').update(Buffer.from(sorted.buffer, sorted.byteOffset, sorted.byteLength)).digest('hex');
}

/**
 * A condition that is true for images NOT in the current split's test set: what every
 * view that must not leak the test set adds to its WHERE clause (`alias` names the
 * images table). Before any split is saved, nothing is hidden.
 */
export function notInTestSql(alias = 'images'): string {
  return `${alias}.id NOT IN (SELECT sa.image_id FROM split_assignments sa
            WHERE sa.version_id = (SELECT max(id) FROM split_versions) AND sa.split = 'test')`;
}

/**
 * The current split's test images, for in-memory views that must leave them out (the
 * near-duplicate index, the quiz draw). Hiding only: an evaluation gets its test images
 * from the lockbox (evaluate/ledger.ts), which records the use.
 */
export function testIdsToHide(db: Database.Database): Set<number> {
  return new Set(
    db
      .prepare(`SELECT image_id FROM split_assignments WHERE version_id = (SELECT max(id) FROM split_versions) AND split = 'test'`)
      .pluck()
      .all() as number[],
  );
}

export class SplitsRepo {
  constructor(private readonly db: Database.Database) {}

  loadImages(): LoadedImages {
    const rows = this.db
      .prepare(
        `SELECT id, class_id AS classId, sha256, phash, rel_path AS relPath, group_name AS "group",
                captured_at AS capturedAt, status FROM images ORDER BY id`,
      )
      .all() as (Omit<SplitImage, 'classId'> & { classId: number | null; status: string })[];
    const images: SplitImage[] = [];
    let unlabeled = 0;
    let excluded = 0;
    for (const { status, classId, ...rest } of rows) {
      if (status !== 'ok') excluded++;
      else if (classId === null) unlabeled++;
      else images.push({ ...rest, classId });
    }
    return { images, unlabeled, excluded };
  }

  /** Saves a version and its assignments in one transaction; returns the new version. */
  insert(version: NewSplitVersion, assignments: ReadonlyMap<number, SplitName>): SplitVersion {
    const testIds: number[] = [];
    for (const [id, split] of assignments) if (split === 'test') testIds.push(id);
    const save = this.db.transaction(() => {
      const id = Number(
        this.db
          .prepare(
            `INSERT INTO split_versions (parent_id, seed, train_pct, validation_pct, test_pct, grouping, threshold,
                                         allow_test, image_count, test_fingerprint, report)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            version.parentId,
            version.seed,
            version.ratios.train,
            version.ratios.validation,
            version.ratios.test,
            JSON.stringify(version.grouping),
            version.threshold,
            version.allowTest ? 1 : 0,
            assignments.size,
            testFingerprint(testIds),
            JSON.stringify(version.report),
          ).lastInsertRowid,
      );
      const add = this.db.prepare('INSERT INTO split_assignments (version_id, image_id, split) VALUES (?, ?, ?)');
      for (const [imageId, split] of assignments) add.run(id, imageId, split);
      return id;
    });
    return this.get(save.immediate())!;
  }

  get(id: number): SplitVersion | undefined {
    const row = this.db.prepare('SELECT * FROM split_versions WHERE id = ?').get(id) as VersionRow | undefined;
    return row && fromRow(row);
  }

  /** The newest version: the split in force. */
  current(): SplitVersion | undefined {
    const row = this.db.prepare('SELECT * FROM split_versions ORDER BY id DESC LIMIT 1').get() as VersionRow | undefined;
    return row && fromRow(row);
  }

  /** Newest first. */
  list(): SplitVersion[] {
    return (this.db.prepare('SELECT * FROM split_versions ORDER BY id DESC').all() as VersionRow[]).map(fromRow);
  }

  assignments(versionId: number): Map<number, SplitName> {
    const rows = this.db
      .prepare('SELECT image_id, split FROM split_assignments WHERE version_id = ? ORDER BY image_id')
      .raw()
      .all(versionId) as [number, SplitName][];
    return new Map(rows);
  }

  counts(versionId: number): SplitCounts {
    const counts: SplitCounts = { train: 0, validation: 0, test: 0 };
    const rows = this.db
      .prepare('SELECT split, count(*) AS n FROM split_assignments WHERE version_id = ? GROUP BY split')
      .all(versionId) as { split: SplitName; n: number }[];
    for (const r of rows) counts[r.split] = r.n;
    return counts;
  }

  /**
   * Labeled, included images that a version places in no split: labeled or imported
   * since it was made (or held back when it was). The ones split.assignNew would place.
   */
  unassignedCount(versionId: number): number {
    return (
      this.db
        .prepare(
          `SELECT count(*) AS n FROM images i
            WHERE i.status = 'ok' AND i.class_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM split_assignments sa WHERE sa.version_id = ? AND sa.image_id = i.id)`,
        )
        .get(versionId) as { n: number }
    ).n;
  }

  /** Image ids of one split of a version, ascending. */
  imageIds(versionId: number, split: SplitName): number[] {
    return this.db
      .prepare('SELECT image_id FROM split_assignments WHERE version_id = ? AND split = ? ORDER BY image_id')
      .pluck()
      .all(versionId, split) as number[];
  }
}

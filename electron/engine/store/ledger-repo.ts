// The test lockbox's ledger (migration 3): one row per opening of a test set. The
// schema lets a row's result be written once and refuses every other change.
import type Database from 'better-sqlite3';

export interface LedgerEntry {
  id: number;
  splitVersionId: number;
  testFingerprint: string;
  /** This was the n-th use of its test set (1 = the first). */
  useNumber: number;
  runId: number | null;
  model: string;
  testImages: number;
  createdAt: string;
  /** The evaluation's result; null until it is recorded. */
  result: unknown;
  resultAt: string | null;
}

interface Row {
  id: number;
  split_version_id: number;
  test_fingerprint: string;
  use_number: number;
  run_id: number | null;
  model: string;
  test_images: number;
  created_at: string;
  result: string | null;
  result_at: string | null;
}

function fromRow(r: Row): LedgerEntry {
  return {
    id: r.id,
    splitVersionId: r.split_version_id,
    testFingerprint: r.test_fingerprint,
    useNumber: r.use_number,
    runId: r.run_id,
    model: r.model,
    testImages: r.test_images,
    createdAt: r.created_at,
    result: r.result === null ? null : (JSON.parse(r.result) as unknown),
    resultAt: r.result_at,
  };
}

export class LedgerRepo {
  constructor(private readonly db: Database.Database) {}

  /** How many times this test set has been opened. */
  uses(testFingerprint: string): number {
    return (this.db.prepare('SELECT count(*) AS n FROM test_evaluations WHERE test_fingerprint = ?').get(testFingerprint) as { n: number }).n;
  }

  insert(entry: { splitVersionId: number; testFingerprint: string; useNumber: number; runId: number | null; model: string; testImages: number }): LedgerEntry {
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO test_evaluations (split_version_id, test_fingerprint, use_number, run_id, model, test_images)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(entry.splitVersionId, entry.testFingerprint, entry.useNumber, entry.runId, entry.model, entry.testImages).lastInsertRowid,
    );
    return this.get(id)!;
  }

  setResult(id: number, result: unknown): LedgerEntry {
    this.db
      .prepare(`UPDATE test_evaluations SET result = ?, result_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?`)
      .run(JSON.stringify(result), id);
    return this.get(id)!;
  }

  get(id: number): LedgerEntry | undefined {
    const row = this.db.prepare('SELECT * FROM test_evaluations WHERE id = ?').get(id) as Row | undefined;
    return row && fromRow(row);
  }

  /** Every entry of one test set, oldest first. */
  forTestSet(testFingerprint: string): LedgerEntry[] {
    return (this.db.prepare('SELECT * FROM test_evaluations WHERE test_fingerprint = ? ORDER BY id').all(testFingerprint) as Row[]).map(fromRow);
  }

  /** Every entry, oldest first. */
  all(): LedgerEntry[] {
    return (this.db.prepare('SELECT * FROM test_evaluations ORDER BY id').all() as Row[]).map(fromRow);
  }
}

// The record of each import and the bad files it met.
import type Database from 'better-sqlite3';
import type { ImportError } from '../../api/schemas.js';

export type ImportStatus = 'running' | 'done' | 'cancelled' | 'failed';

export interface ImportTotals {
  imported: number;
  skipped: number;
  updated: number;
  errorCount: number;
}

export class ImportsRepo {
  constructor(private readonly db: Database.Database) {}

  start(kind: 'folder' | 'csv', source: string): number {
    return Number(
      this.db.prepare(`INSERT INTO imports (kind, source, status) VALUES (?, ?, 'running')`).run(kind, source)
        .lastInsertRowid,
    );
  }

  finish(id: number, status: Exclude<ImportStatus, 'running'>, totals: ImportTotals, message?: string): void {
    this.db
      .prepare(
        `UPDATE imports SET status = ?, finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
                imported = ?, skipped = ?, updated = ?, error_count = ?, message = ? WHERE id = ?`,
      )
      .run(status, totals.imported, totals.skipped, totals.updated, totals.errorCount, message ?? null, id);
  }

  addError(id: number, error: ImportError): void {
    this.db.prepare('INSERT INTO import_errors (import_id, path, reason) VALUES (?, ?, ?)').run(id, error.path, error.reason);
  }

  errors(id: number): ImportError[] {
    return this.db.prepare('SELECT path, reason FROM import_errors WHERE import_id = ? ORDER BY id').all(id) as ImportError[];
  }

  latestId(): number | null {
    const row = this.db.prepare('SELECT max(id) AS id FROM imports').get() as { id: number | null };
    return row.id;
  }

  /** Imports left 'running' by a crash are marked failed when the project is opened again. */
  failInterrupted(): number {
    return this.db
      .prepare(
        `UPDATE imports SET status = 'failed', finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
                message = 'interrupted: the app closed while importing; images written before then were kept'
          WHERE status = 'running'`,
      )
      .run().changes;
  }
}

// The files imports could not take, with the reason. A file reported by several imports
// is listed once, with its latest reason; a file that imported since (fixed, or
// converted) is no longer bad and is left out.
import type Database from 'better-sqlite3';

export interface BadFile {
  importId: number;
  path: string;
  reason: string;
}

export function badFiles(db: Database.Database, offset: number, limit: number): { total: number; items: BadFile[] } {
  // Grouping by path instead of a correlated max() keeps this linear in the number of
  // errors; the UTF-8 bytes of the path meet images' unique path_bytes index.
  const base = `FROM (SELECT max(id) AS id FROM import_errors GROUP BY path) latest
    JOIN import_errors e ON e.id = latest.id
    WHERE NOT EXISTS (SELECT 1 FROM images i WHERE i.path_bytes = CAST(e.path AS BLOB))`;
  const total = (db.prepare(`SELECT count(*) AS n ${base}`).get() as { n: number }).n;
  const items = db
    .prepare(`SELECT e.import_id AS importId, e.path, e.reason ${base} ORDER BY e.path LIMIT ? OFFSET ?`)
    .all(limit, offset) as BadFile[];
  return { total, items };
}

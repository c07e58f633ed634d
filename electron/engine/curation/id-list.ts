// Reads many image ids at once. better-sqlite3 builds one JavaScript value per row,
// which costs ~40 ms for 100,000 ids; a single group_concat string parsed here costs a
// fifth of that. Used where a view needs every id the filter lets through.
import type Database from 'better-sqlite3';

/** Parses "12,7,301" into numbers. */
export function parseIdList(text: string | null, count: number): Int32Array {
  const out = new Int32Array(count);
  if (!text) return out.subarray(0, 0);
  let k = 0;
  let v = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44) {
      out[k++] = v;
      v = 0;
    } else v = v * 10 + (c - 48);
  }
  out[k++] = v;
  return out.subarray(0, k);
}

/** The ids of images matching `where`, ascending (sorted here: SQL gives no order to group_concat). */
export function idsWhere(db: Database.Database, where: string, params: unknown[]): Int32Array {
  const row = db.prepare(`SELECT count(*) AS n, group_concat(id, ',') AS ids FROM images WHERE ${where}`).get(...params) as {
    n: number;
    ids: string | null;
  };
  return parseIdList(row.ids, row.n).sort();
}

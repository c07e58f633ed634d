// Exact duplicates (the same bytes, found by content hash) and conflicting labels (the
// same bytes carrying different classes). Both are groups by sha256, read through the
// sha256 index; a page of groups is then filled with its members' tiles.
import type Database from 'better-sqlite3';
import type { ImageFilter, ImageTile } from '../../api/schemas.js';
import { filterSql } from '../store/image-filter.js';
import { markTestTiles } from '../store/test-marks.js';
import { bestKeeper, TILE_COLUMNS, withoutSize, type TileWithSize } from './tiles.js';

export interface ShaCluster {
  sha256: string;
  suggestedKeepId: number;
  images: ImageTile[];
}

export interface ShaClusterPage {
  totalClusters: number;
  totalImages: number;
  offset: number;
  clusters: ShaCluster[];
}

/** Groups are ordered largest first, then by their oldest image. */
function clusterPage(db: Database.Database, filter: ImageFilter, having: string, offset: number, limit: number): ShaClusterPage {
  const f = filterSql(filter);
  // Shared hashes first, from the sha256 index alone; only their rows are then read for
  // the filter and the condition. A filter only removes copies, so nothing is missed.
  // INDEXED BY: without statistics SQLite would rather scan the status index (all rows).
  const groups = db
    .prepare(
      `WITH shared AS (SELECT sha256 FROM images GROUP BY sha256 HAVING count(*) > 1)
       SELECT sha256, count(*) AS n FROM images INDEXED BY images_sha256
        WHERE sha256 IN shared AND ${f.sql}
        GROUP BY sha256 HAVING ${having} ORDER BY n DESC, min(id)`,
    )
    .all(...f.params) as { sha256: string; n: number }[];
  const page = groups.slice(offset, offset + limit);
  const members = page.length
    ? (db
        .prepare(
          `SELECT ${TILE_COLUMNS}, bytes FROM images INDEXED BY images_sha256
            WHERE sha256 IN (SELECT value FROM json_each(?)) AND ${f.sql} ORDER BY id`,
        )
        .all(JSON.stringify(page.map((g) => g.sha256)), ...f.params) as TileWithSize[])
    : [];
  const bySha = new Map<string, TileWithSize[]>();
  for (const m of members) {
    const list = bySha.get(m.sha256);
    if (list) list.push(m);
    else bySha.set(m.sha256, [m]);
  }
  const clusters = page.map((g) => {
    const tiles = bySha.get(g.sha256) ?? [];
    return { sha256: g.sha256, suggestedKeepId: bestKeeper(tiles).id, images: markTestTiles(db, tiles.map(withoutSize), filter) };
  });
  return {
    totalClusters: groups.length,
    totalImages: groups.reduce((s, g) => s + g.n, 0),
    offset,
    clusters,
  };
}

/** Images with identical bytes, among those the filter lets through. */
export function exactDuplicates(db: Database.Database, filter: ImageFilter, offset: number, limit: number): ShaClusterPage {
  return clusterPage(db, filter, 'count(*) > 1', offset, limit);
}

/**
 * Copies of the same bytes with two or more different classes. Excluded copies do not
 * count (excluding the wrong copies is one way to resolve a conflict); unlabeled copies
 * are shown but do not make a conflict by themselves. Test images count only with
 * includeTest (the lockbox hides them otherwise).
 */
export function conflictingLabels(db: Database.Database, offset: number, limit: number, includeTest = false): ShaClusterPage {
  return clusterPage(db, { status: 'ok', includeTest }, 'count(DISTINCT class_id) > 1', offset, limit);
}

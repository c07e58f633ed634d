// The test lockbox as the grids see it: which images a view hides because they sit in
// the current split's test set, and which shown images to badge "test" once the user
// asked to see them. Hiding itself is in image-filter.ts (every view's WHERE clause).
import type Database from 'better-sqlite3';
import type { ImageFilter } from '../../api/schemas.js';
import { filterSql } from './image-filter.js';

const CURRENT_TEST = `sa.version_id = (SELECT max(id) FROM split_versions) AND sa.split = 'test'`;

/** The ids among `ids` that are in the current split's test set. */
export function testIdsAmong(db: Database.Database, ids: readonly number[]): Set<number> {
  if (ids.length === 0) return new Set();
  return new Set(
    db
      .prepare(`SELECT sa.image_id FROM split_assignments sa WHERE ${CURRENT_TEST} AND sa.image_id IN (SELECT value FROM json_each(?))`)
      .pluck()
      .all(JSON.stringify(ids)) as number[],
  );
}

/**
 * Sets `inTest: true` on the tiles of test images (others are left without the field,
 * so a page stays small). Only a view that asked for test images needs it: without
 * includeTest the filter already left them out, and the tiles come back as they were.
 */
export function markTestTiles<T extends { id: number }>(db: Database.Database, tiles: T[], filter: ImageFilter = {}): (T & { inTest?: boolean })[] {
  if (filter.includeTest !== true || tiles.length === 0) return tiles;
  const test = testIdsAmong(
    db,
    tiles.map((t) => t.id),
  );
  if (test.size === 0) return tiles;
  return tiles.map((t) => (test.has(t.id) ? { ...t, inTest: true } : t));
}

/** How many images the filter matches that the lockbox hides (or, with includeTest, shows marked): the toggle's "N hidden". */
export function hiddenTestCount(db: Database.Database, filter: ImageFilter = {}): number {
  const f = filterSql({ ...filter, includeTest: true });
  return (
    db
      .prepare(`SELECT count(*) AS n FROM split_assignments sa JOIN images ON images.id = sa.image_id WHERE ${CURRENT_TEST} AND ${f.sql}`)
      .get(...f.params) as { n: number }
  ).n;
}

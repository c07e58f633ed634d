// The one translation of an image filter into SQL, shared by the library grid and every
// curation view, so a new criterion (like the test split's lockbox) is added in one place.
import type { ImageFilter } from '../../api/schemas.js';
import { notInTestSql } from './splits-repo.js';

export interface SqlFilter {
  /** A condition on the `images` table aliased as `alias`; "1" when there is none. */
  sql: string;
  params: unknown[];
}

export function filterSql(filter: ImageFilter = {}, alias = 'images'): SqlFilter {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filter.classId === null) parts.push(`${alias}.class_id IS NULL`);
  else if (filter.classId !== undefined) {
    parts.push(`${alias}.class_id = ?`);
    params.push(filter.classId);
  }
  if (filter.status !== undefined) {
    parts.push(`${alias}.status = ?`);
    params.push(filter.status);
  }
  // The test lockbox: looking at test images while curating leaks them into decisions.
  if (filter.includeTest !== true) parts.push(notInTestSql(alias));
  return { sql: parts.length ? parts.join(' AND ') : '1', params };
}

/** True when the filter lets every image through (so a view can skip asking SQL). */
export function isEmptyFilter(filter: ImageFilter = {}): boolean {
  return filter.classId === undefined && filter.status === undefined && filter.includeTest === true;
}

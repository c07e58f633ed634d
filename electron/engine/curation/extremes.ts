// Smallest and largest images by file size, by pixel count and by aspect ratio: where
// thumbnails, icons, panoramas and scans that slipped into a folder show up first.
import type Database from 'better-sqlite3';
import type { ImageFilter, ImageTile } from '../../api/schemas.js';
import { filterSql } from '../store/image-filter.js';
import { markTestTiles } from '../store/test-marks.js';
import { TILE_COLUMNS } from './tiles.js';

export type ExtremeMeasure = 'bytes' | 'pixels' | 'aspect';
export type ExtremeEnd = 'smallest' | 'largest';

export interface ValuedTile extends ImageTile {
  /** bytes, width × height, or width / height. */
  value: number;
}

const EXPRESSIONS: Record<ExtremeMeasure, string> = {
  bytes: 'bytes',
  pixels: 'width * height',
  // Real division: 1000/3 and 1000/4 must not tie at 333 and 250 … and 3/4 must not be 0.
  aspect: 'CAST(width AS REAL) / height',
};

/** For 'aspect', smallest = the tallest (width / height lowest), largest = the widest. Ties: older image first. */
export function extremes(
  db: Database.Database,
  measure: ExtremeMeasure,
  end: ExtremeEnd,
  limit: number,
  filter: ImageFilter = {},
): ValuedTile[] {
  const f = filterSql(filter);
  const expr = EXPRESSIONS[measure];
  const order = end === 'smallest' ? 'ASC' : 'DESC';
  const rows = db
    .prepare(`SELECT ${TILE_COLUMNS}, ${expr} AS value FROM images WHERE ${f.sql} ORDER BY value ${order}, id LIMIT ?`)
    .all(...f.params, limit) as ValuedTile[];
  return markTestTiles(db, rows, filter);
}

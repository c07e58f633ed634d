// Reads grid tiles for a list of image ids, keeping the caller's order (a sample's
// order is the shuffle's, a cluster's is the view's).
import type Database from 'better-sqlite3';
import type { ImageTile } from '../../api/schemas.js';

export const TILE_COLUMNS = 'id, sha256, class_id AS classId, width, height, status';

export interface TileWithSize extends ImageTile {
  bytes: number;
}

export function tilesByIds(db: Database.Database, ids: readonly number[]): TileWithSize[] {
  if (ids.length === 0) return [];
  const rows = db
    .prepare(`SELECT ${TILE_COLUMNS}, bytes FROM images WHERE id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(ids)) as TileWithSize[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out: TileWithSize[] = [];
  for (const id of ids) {
    const t = byId.get(id);
    if (t) out.push(t);
  }
  return out;
}

export function withoutSize({ bytes: _bytes, ...tile }: TileWithSize): ImageTile {
  return tile;
}

/** The copy worth keeping: the most pixels, then the largest file (least compressed), then the oldest. */
export function bestKeeper(tiles: readonly TileWithSize[]): TileWithSize {
  let best = tiles[0]!;
  for (const t of tiles) {
    const a = t.width * t.height;
    const b = best.width * best.height;
    if (a > b || (a === b && (t.bytes > best.bytes || (t.bytes === best.bytes && t.id < best.id)))) best = t;
  }
  return best;
}

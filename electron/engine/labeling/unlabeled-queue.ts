// The "unlabeled" queue: images without a class that still take part in training, in
// import order. Labeling the current one and asking for the next after it advances the
// queue; at the end it wraps to the first one left (skipped images come round again).
import type Database from 'better-sqlite3';
import type { ImageTile } from '../../api/schemas.js';
import { TILE_COLUMNS } from '../curation/tiles.js';

const QUEUE = `class_id IS NULL AND status = 'ok'`;

export function nextUnlabeled(db: Database.Database, afterId?: number): { image: ImageTile | null; remaining: number; wrapped: boolean } {
  const remaining = (db.prepare(`SELECT count(*) AS n FROM images WHERE ${QUEUE}`).get() as { n: number }).n;
  const first = db.prepare(`SELECT ${TILE_COLUMNS} FROM images WHERE ${QUEUE} AND id > ? ORDER BY id LIMIT 1`);
  let image = first.get(afterId ?? 0) as ImageTile | undefined;
  let wrapped = false;
  if (!image && afterId !== undefined) {
    image = first.get(0) as ImageTile | undefined;
    wrapped = image !== undefined;
  }
  return { image: image ?? null, remaining, wrapped };
}

// "A random sample": a seeded shuffle of the images the filter lets through. Ids are
// read in id order, so the same seed over the same images gives the same sample on any
// machine; pages (offset, limit) walk one shuffle, so they never repeat an image.
import type Database from 'better-sqlite3';
import type { ImageFilter, ImageTile } from '../../api/schemas.js';
import { filterSql } from '../store/image-filter.js';
import { markTestTiles } from '../store/test-marks.js';
import { idsWhere } from './id-list.js';
import { newSeed, shuffledPrefix } from './prng.js';
import { tilesByIds, withoutSize } from './tiles.js';

export interface SampleRequest {
  seed?: number | undefined;
  filter?: ImageFilter;
  offset?: number;
  limit: number;
}

export interface Sample {
  seed: number;
  total: number;
  offset: number;
  items: ImageTile[];
}

export function randomSample(db: Database.Database, request: SampleRequest): Sample {
  const seed = request.seed ?? newSeed();
  const offset = request.offset ?? 0;
  const f = filterSql(request.filter);
  const ids = idsWhere(db, f.sql, f.params);
  const drawn = shuffledPrefix(ids, offset + request.limit, seed).slice(offset);
  return { seed, total: ids.length, offset, items: markTestTiles(db, tilesByIds(db, drawn).map(withoutSize), request.filter) };
}

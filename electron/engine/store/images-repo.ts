// Image rows: what import writes and what the library grid and detail panel read.
import type Database from 'better-sqlite3';
import type { ImageDetail, ImageFilter, ImageTile } from '../../api/schemas.js';
import { filterSql } from './image-filter.js';
import { queryMemoOf, type QueryMemo } from './query-memo.js';
import { markTestTiles } from './test-marks.js';

/** Everything import knows about one file, ready to insert. */
export interface NewImage {
  path: string;
  pathBytes: Buffer;
  relPath: string;
  sha256: string;
  phash: string;
  width: number;
  height: number;
  bytes: number;
  format: string;
  capturedAt: string | null;
  mtimeMs: number;
  classId: number | null;
  group: string | null;
}

export interface KnownFile {
  id: number;
  sha256: string;
  bytes: number;
  mtimeMs: number;
}

/**
 * The library grid follows the lockbox like every curation view: the current split's
 * test images are left out unless the filter says includeTest (the user's "Show test
 * images" toggle).
 */
function whereClause(filter: ImageFilter): { sql: string; params: unknown[] } {
  const f = filterSql(filter);
  return { sql: `WHERE ${f.sql}`, params: f.params };
}

/** Every image of the project, test split included: what count() means without a filter. */
const EVERY_IMAGE: ImageFilter = { includeTest: true };

/** The most ids one range request may ask for (a shift-click across a whole large project). */
export const MAX_ID_RANGE = 200_000;

/** Past this many page starts remembered for one filter, they are forgotten (bounds memory only). */
const MAX_ANCHORS = 4096;

/**
 * Where pages of one filter may start: position → the id of the row just before it,
 * learned from pages already served. Rows from position p on are exactly the filter's
 * rows with a larger id, so a deep page reads from there instead of stepping over
 * `offset` rows (20 ms at offset 50,000 under the lockbox, 2 ms from an anchor).
 * Valid only while the data is unchanged: it lives in the query memo.
 */
type Anchors = Map<number, number>;

export class ImagesRepo {
  private readonly insertStmt: Database.Statement;
  private readonly updateContentStmt: Database.Statement;
  private readonly knownStmt: Database.Statement;
  private readonly shaExistsStmt: Database.Statement;
  private readonly memo: QueryMemo;

  constructor(private readonly db: Database.Database) {
    this.memo = queryMemoOf(db);
    this.insertStmt = db.prepare(
      `INSERT INTO images (path, path_bytes, rel_path, import_id, sha256, phash, width, height, bytes,
                           format, captured_at, mtime_ms, class_id, group_name)
       VALUES (@path, @pathBytes, @relPath, @importId, @sha256, @phash, @width, @height, @bytes,
               @format, @capturedAt, @mtimeMs, @classId, @group)`,
    );
    this.updateContentStmt = db.prepare(
      `UPDATE images SET sha256 = @sha256, phash = @phash, width = @width, height = @height, bytes = @bytes,
                         format = @format, captured_at = @capturedAt, mtime_ms = @mtimeMs
        WHERE id = @id`,
    );
    this.knownStmt = db.prepare('SELECT id, sha256, bytes, mtime_ms AS mtimeMs FROM images WHERE path_bytes = ?');
    this.shaExistsStmt = db.prepare('SELECT 1 FROM images WHERE sha256 = ? LIMIT 1');
  }

  insert(image: NewImage, importId: number | null): number {
    return Number(this.insertStmt.run({ ...image, importId }).lastInsertRowid);
  }

  /** Refreshes the content fields of an image whose file changed; labels and groups stay. */
  updateContent(id: number, image: NewImage): void {
    this.updateContentStmt.run({ ...image, id });
  }

  /** The row for this exact path, if the project already has it. */
  known(pathBytes: Buffer): KnownFile | undefined {
    return this.knownStmt.get(pathBytes) as KnownFile | undefined;
  }

  hasContent(sha256: string): boolean {
    return this.shaExistsStmt.get(sha256) !== undefined;
  }

  /**
   * Images the filter lets through; without a filter, every image of the project.
   * Remembered while the database is unchanged: the grid asks again for every page.
   */
  count(filter: ImageFilter = EVERY_IMAGE): number {
    const w = whereClause(filter);
    return this.memo.get(`images.count ${w.sql} ${JSON.stringify(w.params)}`, () =>
      (this.db.prepare(`SELECT count(*) AS n FROM images ${w.sql}`).get(...w.params) as { n: number }).n,
    );
  }

  /** One page of the grid, in import order; test images (shown only with includeTest) carry inTest. */
  page(filter: ImageFilter, offset: number, limit: number): ImageTile[] {
    const from = this.startAt(filter, offset);
    const tiles = this.db
      .prepare(
        `SELECT id, sha256, class_id AS classId, width, height, status FROM images ${from.sql}
          ORDER BY id LIMIT ? OFFSET ?`,
      )
      .all(...from.params, limit, from.skip) as ImageTile[];
    from.learn(tiles);
    return markTestTiles(this.db, tiles, filter);
  }

  /**
   * The ids at positions [offset, offset + limit) of the grid under `filter`, in the
   * grid's order: what a shift-click or a drag across tiles not loaded yet selects.
   */
  idsInRange(filter: ImageFilter, offset: number, limit: number): number[] {
    const from = this.startAt(filter, offset);
    const ids = this.db
      .prepare(`SELECT id FROM images ${from.sql} ORDER BY id LIMIT ? OFFSET ?`)
      .pluck()
      .all(...from.params, Math.min(limit, MAX_ID_RANGE), from.skip) as number[];
    from.learn(ids.map((id) => ({ id })));
    return ids;
  }

  /**
   * The WHERE clause and OFFSET that reach position `offset` of the filter's id order,
   * from the nearest remembered anchor at or before it, and a callback that remembers
   * where the rows read end (the next page's start).
   */
  private startAt(
    filter: ImageFilter,
    offset: number,
  ): { sql: string; params: unknown[]; skip: number; learn: (rows: readonly { id: number }[]) => void } {
    const w = whereClause(filter);
    // Positions are what SQLite's OFFSET means only for whole numbers from 0 (the API checks).
    if (!Number.isSafeInteger(offset) || offset < 0) return { ...w, skip: offset, learn: () => {} };
    const anchors = this.memo.get<Anchors>(`images.anchors ${w.sql} ${JSON.stringify(w.params)}`, () => new Map());
    let at = 0;
    let afterId = 0;
    for (const [position, id] of anchors) {
      if (position <= offset && position > at) {
        at = position;
        afterId = id;
      }
    }
    const learn = (rows: readonly { id: number }[]): void => {
      if (rows.length === 0) return;
      if (anchors.size >= MAX_ANCHORS) anchors.clear();
      // Both ends: the next page starts after the last row, and the same page asked again
      // (the grid reloads the pages in view) starts at the first row, i.e. after id - 1.
      anchors.set(offset + rows.length, rows[rows.length - 1]!.id);
      if (offset > 0) anchors.set(offset, rows[0]!.id - 1);
    };
    if (at === 0) return { ...w, skip: offset, learn };
    return { sql: `${w.sql} AND images.id > ?`, params: [...w.params, afterId], skip: offset - at, learn };
  }

  detail(id: number): ImageDetail | undefined {
    const row = this.db
      .prepare(
        `SELECT i.id, i.sha256, i.class_id AS classId, i.width, i.height, i.status, i.path, i.rel_path AS relPath,
                c.name AS className, i.group_name AS "group", i.bytes, i.format, i.phash, i.captured_at AS capturedAt,
                i.added_at AS addedAt, i.exclude_reason AS excludeReason
           FROM images i LEFT JOIN classes c ON c.id = i.class_id WHERE i.id = ?`,
      )
      .get(id) as Omit<ImageDetail, 'duplicateIds'> | undefined;
    if (!row) return undefined;
    const dups = this.db
      .prepare('SELECT id FROM images WHERE sha256 = ? AND id <> ? ORDER BY id LIMIT 100')
      .pluck()
      .all(row.sha256, id) as number[];
    return { ...row, duplicateIds: dups };
  }

  /** The original file of an image, for the media protocol: only images of this project are served. */
  source(id: number): { pathBytes: Buffer; format: string } | undefined {
    return this.db.prepare('SELECT path_bytes AS pathBytes, format FROM images WHERE id = ?').get(id) as
      | { pathBytes: Buffer; format: string }
      | undefined;
  }
}

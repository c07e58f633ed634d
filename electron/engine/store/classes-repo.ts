// Classes (labels) of a project.
import type Database from 'better-sqlite3';
import type { ClassInfo } from '../../api/schemas.js';
import { queryMemoOf, type QueryMemo } from './query-memo.js';

export class ClassesRepo {
  private readonly memo: QueryMemo;

  constructor(private readonly db: Database.Database) {
    this.memo = queryMemoOf(db);
  }

  /**
   * Every class with its image count, in display order; remembered while the database is
   * unchanged (the Library asks on every reload). One index seek per class on
   * images_class(class_id, id): measured as fast as a single GROUP BY over all images.
   */
  list(): ClassInfo[] {
    const rows = this.memo.get('classes.list', () =>
      this.db
        .prepare(
          `SELECT c.id, c.name, (SELECT count(*) FROM images i WHERE i.class_id = c.id) AS count
             FROM classes c ORDER BY c.position, c.name`,
        )
        .all() as ClassInfo[],
    );
    // Copies: a caller may change what it gets; the memo's rows serve the next call.
    return rows.map((c) => ({ ...c }));
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM classes').get() as { n: number }).n;
  }

  byName(name: string): { id: number; name: string } | undefined {
    return this.db.prepare('SELECT id, name FROM classes WHERE name = ?').get(name) as
      | { id: number; name: string }
      | undefined;
  }

  /** The id of the class with this name, creating it at the end of the list if new. */
  ensure(name: string): number {
    const existing = this.byName(name);
    if (existing) return existing.id;
    const pos = (this.db.prepare('SELECT coalesce(max(position), -1) + 1 AS p FROM classes').get() as { p: number }).p;
    return Number(this.db.prepare('INSERT INTO classes (name, position) VALUES (?, ?)').run(name, pos).lastInsertRowid);
  }
}

// Classes (labels) of a project.
import type Database from 'better-sqlite3';
import type { ClassInfo } from '../../api/schemas.js';

export class ClassesRepo {
  constructor(private readonly db: Database.Database) {}

  /** Every class with its image count, in display order. */
  list(): ClassInfo[] {
    return this.db
      .prepare(
        `SELECT c.id, c.name, (SELECT count(*) FROM images i WHERE i.class_id = c.id) AS count
           FROM classes c ORDER BY c.position, c.name`,
      )
      .all() as ClassInfo[];
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

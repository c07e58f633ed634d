// The Library's counts and pages are remembered while the database is unchanged
// (store/query-memo.ts). These tests warm the memo, make each kind of write the app
// makes, and compare with the same question asked of SQLite directly: a memo that
// missed a kind of change would answer with the counts from before it.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ImageFilter } from '../../../electron/api/schemas.js';
import { createClass, deleteClass, mergeClasses } from '../../../electron/engine/labeling/class-actions.js';
import { assignClass, excludeImages, includeImages } from '../../../electron/engine/labeling/label-images.js';
import type { Project } from '../../../electron/engine/project/project.js';
import { filterSql } from '../../../electron/engine/store/image-filter.js';
import { queryMemoOf } from '../../../electron/engine/store/query-memo.js';
import { SplitsRepo } from '../../../electron/engine/store/splits-repo.js';
import type { SplitName } from '../../../electron/engine/splits/types.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { addImage, addImages, newProject } from '../../unit/curation/project-fixture.js';

const tempDir = tempDirFactory('holdout-query-memo-');

/** What the Library asks, through the repositories (and so through the memo). */
function viaRepos(p: Project, filters: ImageFilter[], offsets: number[]) {
  return {
    classes: p.classes.list(),
    unlabeled: p.images.count({ classId: null }),
    total: p.images.count(),
    counts: filters.map((f) => p.images.count(f)),
    pages: filters.flatMap((f) => offsets.map((o) => p.images.page(f, o, 7).map((t) => t.id))),
    ranges: filters.map((f) => p.images.idsInRange(f, offsets[1] ?? 0, 11)),
  };
}

/** The same, asked of SQLite directly with the queries as they were before the memo. */
function viaPlainSql(p: Project, filters: ImageFilter[], offsets: number[]) {
  const count = (f: ImageFilter): number => {
    const w = filterSql(f);
    return (p.db.prepare(`SELECT count(*) AS n FROM images WHERE ${w.sql}`).get(...w.params) as { n: number }).n;
  };
  const ids = (f: ImageFilter, offset: number, limit: number): number[] => {
    const w = filterSql(f);
    return p.db.prepare(`SELECT id FROM images WHERE ${w.sql} ORDER BY id LIMIT ? OFFSET ?`).pluck().all(...w.params, limit, offset) as number[];
  };
  return {
    classes: p.db
      .prepare(
        `SELECT c.id, c.name, (SELECT count(*) FROM images i WHERE i.class_id = c.id) AS count
           FROM classes c ORDER BY c.position, c.name`,
      )
      .all(),
    unlabeled: count({ classId: null }),
    total: count({ includeTest: true }),
    counts: filters.map(count),
    pages: filters.flatMap((f) => offsets.map((o) => ids(f, o, 7))),
    ranges: filters.map((f) => ids(f, offsets[1] ?? 0, 11)),
  };
}

function saveSplit(p: Project, testEvery: number): void {
  const labeled = p.db.prepare("SELECT id FROM images WHERE class_id IS NOT NULL AND status = 'ok' ORDER BY id").pluck().all() as number[];
  const assignments = new Map<number, SplitName>(labeled.map((id, i) => [id, i % testEvery === 0 ? 'test' : 'train']));
  const splits = new SplitsRepo(p.db);
  splits.insert(
    { parentId: splits.current()?.id ?? null, seed: 1, ratios: { train: 80, validation: 0, test: 20 }, grouping: [], threshold: 6, allowTest: false, report: {} },
    assignments,
  );
}

describe('the query memo', () => {
  it('answers with fresh counts and pages after every kind of write', () => {
    const p = newProject(tempDir);
    const cat = createClass(p.db, 'cat').classId!;
    const dog = createClass(p.db, 'dog').classId!;
    const ids = [...addImages(p, 30, { classId: cat }), ...addImages(p, 20, { classId: dog }), ...addImages(p, 10)];
    const filters: ImageFilter[] = [{}, { classId: cat }, { classId: dog }, { classId: null }, { status: 'excluded', includeTest: true }, { includeTest: true }];
    const offsets = [0, 5, 20, 40];
    // Each write must change what the Library sees (else the step proves nothing), and
    // the memo must then agree with SQLite.
    const step = (what: string, write: () => void): void => {
      const before = viaRepos(p, filters, offsets);
      expect(viaRepos(p, filters, offsets), `${what}: repeated read`).toEqual(before);
      write();
      const after = viaRepos(p, filters, offsets);
      expect(after, `${what}: changes what the Library sees`).not.toEqual(before);
      expect(after, `${what}: the memo agrees with SQLite`).toEqual(viaPlainSql(p, filters, offsets));
    };

    step('an import inserts an image', () => addImage(p, { classId: cat }));
    step('a label change', () => assignClass(p.db, ids.slice(0, 3), dog));
    step('an exclusion', () => excludeImages(p.db, ids.slice(3, 5), 'blurred'));
    step('an inclusion', () => includeImages(p.db, [ids[3]!]));
    step('a split saved hides its test images', () => saveSplit(p, 4));
    step('a label change of a hidden test image', () => assignClass(p.db, [ids[8]!], null));
    step('a class merged', () => mergeClasses(p.db, dog, cat));
    const bird = createClass(p.db, 'bird').classId!;
    step('a label to a new class', () => assignClass(p.db, ids.slice(40, 50), bird));
    step('a class deleted', () => deleteClass(p.db, bird, null));
    step('a write from a second connection (an import worker)', () => {
      const other = new Database(p.dbFile);
      try {
        other.prepare('UPDATE images SET class_id = NULL WHERE id IN (?, ?, ?)').run(ids[20], ids[21], ids[22]);
      } finally {
        other.close();
      }
    });
    step('a DELETE without WHERE (the truncate optimisation)', () => p.db.exec('DELETE FROM images'));
    p.close();
  });

  it('keeps nothing read inside a transaction that is rolled back', () => {
    const p = newProject(tempDir);
    addImages(p, 5);
    expect(p.images.count()).toBe(5);
    expect(() =>
      p.db.transaction(() => {
        addImages(p, 3);
        expect(p.images.count()).toBe(8);
        throw new Error('roll back');
      })(),
    ).toThrow('roll back');
    // total_changes() still counts the rolled-back inserts, so only the memo's refusal to
    // keep values read inside a transaction stops 8 from being served here.
    expect(p.images.count()).toBe(5);
    p.close();
  });

  it('computes once while unchanged, again after a write by this or another connection', () => {
    const p = newProject(tempDir);
    const memo = queryMemoOf(p.db);
    let computed = 0;
    const read = () => memo.get('probe', () => ++computed);
    expect([read(), read(), read()]).toEqual([1, 1, 1]);
    p.db.prepare("INSERT INTO meta (key, value) VALUES ('probe', 'x')").run(); // total_changes()
    expect([read(), read()]).toEqual([2, 2]);
    const other = new Database(p.dbFile);
    other.prepare("UPDATE meta SET value = 'y' WHERE key = 'probe'").run(); // data_version
    other.close();
    expect([read(), read()]).toEqual([3, 3]);
    p.db.exec('CREATE TABLE probe_ddl (x INTEGER)'); // schema_version: DDL changes no row
    expect([read(), read()]).toEqual([4, 4]);
    p.close();
  });

  it('agrees with SQLite over a random mix of writes, reads and pages', () => {
    const p = newProject(tempDir);
    let seed = 12345;
    const rand = (n: number): number => {
      // mulberry32: the same mix on every run
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const classes = [createClass(p.db, 'a').classId!, createClass(p.db, 'b').classId!];
    let n = 0;
    const imageIds = (): number[] => p.db.prepare('SELECT id FROM images').pluck().all() as number[];
    const pick = (k: number): number[] => {
      const all = imageIds();
      return Array.from({ length: Math.min(k, all.length) }, () => all[rand(all.length)]!);
    };
    addImages(p, 120, { classId: classes[0] });
    const writes: (() => void)[] = [
      () => addImages(p, 1 + rand(15), { classId: rand(3) === 0 ? null : classes[rand(classes.length)]! }),
      () => assignClass(p.db, pick(1 + rand(20)), rand(4) === 0 ? null : classes[rand(classes.length)]!),
      () => excludeImages(p.db, pick(1 + rand(5)), 'odd'),
      () => includeImages(p.db, pick(1 + rand(10))),
      () => classes.push(createClass(p.db, `c${++n}`).classId!),
      () => {
        if (classes.length > 2) deleteClass(p.db, classes.splice(2 + rand(classes.length - 2), 1)[0]!, rand(2) ? null : classes[0]!);
      },
      () => {
        if (classes.length > 2) mergeClasses(p.db, classes.splice(2 + rand(classes.length - 2), 1)[0]!, classes[1]!);
      },
      () => saveSplit(p, 2 + rand(5)),
      () => {
        const other = new Database(p.dbFile);
        other.prepare('UPDATE images SET class_id = ? WHERE id = ?').run(classes[rand(classes.length)]!, pick(1)[0] ?? 0);
        other.close();
      },
      () => {
        // INSERT OR REPLACE: the replaced row's deletion is not counted, the insert is.
        const id = pick(1)[0];
        if (id !== undefined) p.db.prepare('INSERT OR REPLACE INTO images SELECT * FROM images WHERE id = ?').run(id);
      },
      () => {}, // no write: the memo answers
    ];
    for (let i = 0; i < 150; i++) {
      writes[rand(writes.length)]!();
      const total = p.images.count({ includeTest: true });
      const filters: ImageFilter[] = [{}, { classId: classes[rand(classes.length)]! }, { classId: null }, { status: 'ok' }, { includeTest: true }];
      // Pages in the grid's patterns: a jump, the next page, the same page again.
      const jump = rand(Math.max(1, total));
      const offsets = [jump, jump + 7, jump, rand(Math.max(1, total))];
      expect(viaRepos(p, filters, offsets), `step ${i}`).toEqual(viaPlainSql(p, filters, offsets));
    }
    p.close();
  });
});

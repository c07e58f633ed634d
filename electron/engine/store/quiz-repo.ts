// "Try it yourself" sessions: the images drawn, the label each had when drawn, and the
// user's answers. Kept so results can be shown later next to a model's accuracy.
import type Database from 'better-sqlite3';

export interface QuizItemRow {
  position: number;
  imageId: number;
  trueClassId: number;
  trueClassName: string;
  answer: 'class' | 'not_sure' | null;
  answerClassId: number | null;
  answerClassName: string | null;
}

export interface QuizSessionRow {
  id: number;
  seed: number;
  size: number;
  createdAt: string;
  finishedAt: string | null;
}

export class QuizRepo {
  constructor(private readonly db: Database.Database) {}

  create(seed: number, items: readonly { imageId: number; classId: number; className: string }[]): number {
    return this.db.transaction(() => {
      const id = Number(this.db.prepare('INSERT INTO quiz_sessions (seed, size) VALUES (?, ?)').run(seed, items.length).lastInsertRowid);
      const insert = this.db.prepare(
        'INSERT INTO quiz_items (session_id, position, image_id, true_class_id, true_class_name) VALUES (?, ?, ?, ?, ?)',
      );
      items.forEach((item, position) => insert.run(id, position, item.imageId, item.classId, item.className));
      return id;
    })();
  }

  session(id: number): QuizSessionRow | undefined {
    return this.db
      .prepare('SELECT id, seed, size, created_at AS createdAt, finished_at AS finishedAt FROM quiz_sessions WHERE id = ?')
      .get(id) as QuizSessionRow | undefined;
  }

  sessions(): QuizSessionRow[] {
    return this.db
      .prepare('SELECT id, seed, size, created_at AS createdAt, finished_at AS finishedAt FROM quiz_sessions ORDER BY id DESC')
      .all() as QuizSessionRow[];
  }

  items(sessionId: number): QuizItemRow[] {
    return this.db
      .prepare(
        `SELECT position, image_id AS imageId, true_class_id AS trueClassId, true_class_name AS trueClassName,
                answer, answer_class_id AS answerClassId, answer_class_name AS answerClassName
           FROM quiz_items WHERE session_id = ? ORDER BY position`,
      )
      .all(sessionId) as QuizItemRow[];
  }

  /** Records (or changes) one answer; marks the session finished when none is left open. */
  answer(sessionId: number, position: number, answer: { classId: number; name: string } | 'not_sure'): boolean {
    return this.db.transaction(() => {
      const info =
        answer === 'not_sure'
          ? this.db
              .prepare(
                `UPDATE quiz_items SET answer = 'not_sure', answer_class_id = NULL, answer_class_name = NULL,
                        answered_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE session_id = ? AND position = ?`,
              )
              .run(sessionId, position)
          : this.db
              .prepare(
                `UPDATE quiz_items SET answer = 'class', answer_class_id = ?, answer_class_name = ?,
                        answered_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE session_id = ? AND position = ?`,
              )
              .run(answer.classId, answer.name, sessionId, position);
      if (info.changes === 0) return false;
      this.db
        .prepare(
          `UPDATE quiz_sessions SET finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
            WHERE id = ? AND finished_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM quiz_items WHERE session_id = ? AND answer IS NULL)`,
        )
        .run(sessionId, sessionId);
      return true;
    })();
  }
}

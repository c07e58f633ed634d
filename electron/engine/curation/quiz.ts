// "Try it yourself": draw N labeled images that take part in training (once splits
// exist, never test images), let the user answer without seeing the labels, and score.
import type Database from 'better-sqlite3';
import { ApiError } from '../../api/errors.js';
import { QuizRepo, type QuizSessionRow } from '../store/quiz-repo.js';
import { filterSql } from '../store/image-filter.js';
import { idsWhere } from './id-list.js';
import { newSeed, shuffledPrefix } from './prng.js';
import { scoreQuiz, type QuizScore } from './quiz-score.js';

export interface QuizSessionView {
  id: number;
  seed: number;
  createdAt: string;
  finishedAt: string | null;
  items: { position: number; imageId: number; sha256: string; width: number; height: number; answer: number | 'not_sure' | null }[];
  choices: { id: number; name: string }[];
}

function choices(db: Database.Database): { id: number; name: string }[] {
  return db.prepare('SELECT id, name FROM classes ORDER BY position, name').all() as { id: number; name: string }[];
}

function requireSession(repo: QuizRepo, id: number): QuizSessionRow {
  const s = repo.session(id);
  if (!s) throw new ApiError('not_found', `no quiz #${id} in this project`, 'sessionId');
  return s;
}

export function startQuiz(db: Database.Database, size: number, seed = newSeed()): QuizSessionView {
  // Labeled and not excluded: what the model would learn from. The later lockbox adds its condition here.
  const f = filterSql({ status: 'ok' });
  const ids = idsWhere(db, `${f.sql} AND class_id IS NOT NULL`, f.params);
  if (ids.length === 0) throw new ApiError('conflict', 'the quiz needs labeled images: label some images first');
  const drawn = shuffledPrefix(ids, size, seed);
  const labels = new Map(
    (
      db
        .prepare(
          `SELECT i.id, i.class_id AS classId, c.name FROM images i JOIN classes c ON c.id = i.class_id
            WHERE i.id IN (SELECT value FROM json_each(?))`,
        )
        .all(JSON.stringify(drawn)) as { id: number; classId: number; name: string }[]
    ).map((r) => [r.id, r]),
  );
  const repo = new QuizRepo(db);
  const id = repo.create(
    seed,
    drawn.map((imageId) => ({ imageId, classId: labels.get(imageId)!.classId, className: labels.get(imageId)!.name })),
  );
  return quizSession(db, id);
}

/** A session as the quiz screen shows it: images and answers so far, never the true labels. */
export function quizSession(db: Database.Database, id: number): QuizSessionView {
  const repo = new QuizRepo(db);
  const s = requireSession(repo, id);
  const items = repo.items(id);
  const meta = new Map(
    (
      db
        .prepare('SELECT id, sha256, width, height FROM images WHERE id IN (SELECT value FROM json_each(?))')
        .all(JSON.stringify(items.map((i) => i.imageId))) as { id: number; sha256: string; width: number; height: number }[]
    ).map((r) => [r.id, r]),
  );
  return {
    id: s.id,
    seed: s.seed,
    createdAt: s.createdAt,
    finishedAt: s.finishedAt,
    items: items
      .filter((i) => meta.has(i.imageId))
      .map((i) => {
        const m = meta.get(i.imageId)!;
        return {
          position: i.position,
          imageId: i.imageId,
          sha256: m.sha256,
          width: m.width,
          height: m.height,
          answer: i.answer === 'not_sure' ? 'not_sure' : i.answer === 'class' ? i.answerClassId : null,
        };
      }),
    choices: choices(db),
  };
}

export function answerQuiz(
  db: Database.Database,
  sessionId: number,
  position: number,
  answer: number | 'not_sure',
): { answered: number; total: number; finished: boolean } {
  const repo = new QuizRepo(db);
  requireSession(repo, sessionId);
  let given: { classId: number; name: string } | 'not_sure' = 'not_sure';
  if (answer !== 'not_sure') {
    const row = db.prepare('SELECT name FROM classes WHERE id = ?').get(answer) as { name: string } | undefined;
    if (!row) throw new ApiError('not_found', `no class #${answer} in this project`, 'answer');
    given = { classId: answer, name: row.name };
  }
  if (!repo.answer(sessionId, position, given)) {
    throw new ApiError('not_found', `quiz #${sessionId} has no question ${position}`, 'position');
  }
  const items = repo.items(sessionId);
  const answered = items.filter((i) => i.answer !== null).length;
  return { answered, total: items.length, finished: answered === items.length };
}

export function quizResult(db: Database.Database, sessionId: number): QuizScore & { sessionId: number } {
  const repo = new QuizRepo(db);
  requireSession(repo, sessionId);
  return { sessionId, ...scoreQuiz(repo.items(sessionId)) };
}

export function listQuizzes(db: Database.Database) {
  const repo = new QuizRepo(db);
  return repo.sessions().map((s) => {
    const score = scoreQuiz(repo.items(s.id));
    return {
      id: s.id,
      createdAt: s.createdAt,
      finishedAt: s.finishedAt,
      total: score.total,
      answered: score.answered,
      correct: score.correct,
      accuracy: score.accuracy,
    };
  });
}

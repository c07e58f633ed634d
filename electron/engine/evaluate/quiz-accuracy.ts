// The person's own accuracy from the newest "Try it yourself" quiz with an answer, to
// show beside the model's: if people get 70% and the model 95%, the labels are hard or
// noisy; if people get 99% and the model 70%, the model has room to learn.
import type Database from 'better-sqlite3';
import { scoreQuiz } from '../curation/quiz-score.js';
import { QuizRepo } from '../store/quiz-repo.js';

export interface HumanQuizAccuracy {
  sessionId: number;
  /** Correct answers over answered questions ("not sure" counts as wrong). */
  accuracy: number;
  answered: number;
  finished: boolean;
  perClass: { class: string; accuracy: number | null; answered: number }[];
}

export function latestQuizAccuracy(db: Database.Database): HumanQuizAccuracy | null {
  const repo = new QuizRepo(db);
  // sessions() is newest first; an unanswered quiz says nothing about people.
  for (const session of repo.sessions()) {
    const score = scoreQuiz(repo.items(session.id));
    if (score.accuracy === null) continue;
    return {
      sessionId: session.id,
      accuracy: score.accuracy,
      answered: score.answered,
      finished: score.finished,
      perClass: score.perClass.map((p) => ({ class: p.name, accuracy: p.accuracy, answered: p.total })),
    };
  }
  return null;
}

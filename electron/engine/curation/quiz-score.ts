// Scoring a "try it yourself" quiz: a pure function of the items, so it is the same
// whenever a result is shown. "Not sure" counts as a miss: a model has no such answer,
// and the point is to compare the two.
import type { QuizItemRow } from '../store/quiz-repo.js';

export interface QuizScore {
  total: number;
  answered: number;
  correct: number;
  notSure: number;
  accuracy: number | null;
  finished: boolean;
  perClass: { classId: number; name: string; total: number; correct: number; accuracy: number | null }[];
  confusions: { trueClassId: number; trueName: string; answerClassId: number | null; answerName: string; count: number }[];
  missed: { position: number; imageId: number; trueClassId: number; trueName: string; answerClassId: number | null; answerName: string }[];
}

export const NOT_SURE_NAME = 'not sure';

export function scoreQuiz(items: readonly QuizItemRow[]): QuizScore {
  const answered = items.filter((i) => i.answer !== null);
  const isRight = (i: QuizItemRow) => i.answer === 'class' && i.answerClassId === i.trueClassId;
  const perClass = new Map<number, { classId: number; name: string; total: number; correct: number }>();
  const confusions = new Map<string, QuizScore['confusions'][number]>();
  const missed: QuizScore['missed'] = [];
  let correct = 0;
  for (const item of answered) {
    let pc = perClass.get(item.trueClassId);
    if (!pc) perClass.set(item.trueClassId, (pc = { classId: item.trueClassId, name: item.trueClassName, total: 0, correct: 0 }));
    pc.total++;
    if (isRight(item)) {
      pc.correct++;
      correct++;
      continue;
    }
    const answerClassId = item.answer === 'class' ? item.answerClassId : null;
    const answerName = item.answer === 'class' ? (item.answerClassName ?? `#${item.answerClassId}`) : NOT_SURE_NAME;
    missed.push({ position: item.position, imageId: item.imageId, trueClassId: item.trueClassId, trueName: item.trueClassName, answerClassId, answerName });
    const key = `${item.trueClassId}:${answerClassId ?? 'not_sure'}`;
    const c = confusions.get(key);
    if (c) c.count++;
    else confusions.set(key, { trueClassId: item.trueClassId, trueName: item.trueClassName, answerClassId, answerName, count: 1 });
  }
  return {
    total: items.length,
    answered: answered.length,
    correct,
    notSure: answered.filter((i) => i.answer === 'not_sure').length,
    accuracy: answered.length ? correct / answered.length : null,
    finished: items.length > 0 && answered.length === items.length,
    perClass: [...perClass.values()]
      .map((p) => ({ ...p, accuracy: p.total ? p.correct / p.total : null }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    confusions: [...confusions.values()].sort((a, b) => b.count - a.count || a.trueName.localeCompare(b.trueName)),
    missed,
  };
}

// "Try it yourself": scoring is a pure function of the answers; sessions draw only
// labeled, non-excluded images, never show labels, and keep their answers and result
// across a restart.
import { describe, expect, it } from 'vitest';
import { answerQuiz, listQuizzes, quizResult, quizSession, startQuiz } from '../../../electron/engine/curation/quiz.js';
import { scoreQuiz } from '../../../electron/engine/curation/quiz-score.js';
import { excludeImages } from '../../../electron/engine/labeling/label-images.js';
import { openProject } from '../../../electron/engine/project/project.js';
import type { QuizItemRow } from '../../../electron/engine/store/quiz-repo.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { addImages, newProject } from './project-fixture.js';

const tempDir = tempDirFactory('holdout-quiz-');

function item(position: number, trueClassId: number, answer: number | 'not_sure' | null): QuizItemRow {
  const names: Record<number, string> = { 1: 'cat', 2: 'dog', 3: 'fox' };
  return {
    position,
    imageId: 100 + position,
    trueClassId,
    trueClassName: names[trueClassId]!,
    answer: answer === null ? null : answer === 'not_sure' ? 'not_sure' : 'class',
    answerClassId: typeof answer === 'number' ? answer : null,
    answerClassName: typeof answer === 'number' ? names[answer]! : null,
  };
}

describe('scoreQuiz', () => {
  it('scores overall and per class, counts "not sure" as a miss, lists confusions and misses', () => {
    const s = scoreQuiz([
      item(0, 1, 1),
      item(1, 1, 2),
      item(2, 1, 1),
      item(3, 2, 2),
      item(4, 2, 1),
      item(5, 2, 'not_sure'),
      item(6, 3, 1),
      item(7, 1, 2),
    ]);
    expect(s).toMatchObject({ total: 8, answered: 8, correct: 3, notSure: 1, finished: true });
    expect(s.accuracy).toBeCloseTo(3 / 8);
    expect(s.perClass).toEqual([
      { classId: 1, name: 'cat', total: 4, correct: 2, accuracy: 0.5 },
      { classId: 2, name: 'dog', total: 3, correct: 1, accuracy: 1 / 3 },
      { classId: 3, name: 'fox', total: 1, correct: 0, accuracy: 0 },
    ]);
    expect(s.confusions[0]).toEqual({ trueClassId: 1, trueName: 'cat', answerClassId: 2, answerName: 'dog', count: 2 });
    expect(s.confusions).toContainEqual({ trueClassId: 2, trueName: 'dog', answerClassId: null, answerName: 'not sure', count: 1 });
    expect(s.confusions).toHaveLength(4);
    expect(s.missed.map((m) => m.position)).toEqual([1, 4, 5, 6, 7]);
  });

  it('scores only what was answered until the quiz is finished', () => {
    const s = scoreQuiz([item(0, 1, 1), item(1, 2, null)]);
    expect(s).toMatchObject({ total: 2, answered: 1, correct: 1, accuracy: 1, finished: false });
    expect(scoreQuiz([]).accuracy).toBeNull();
  });
});

describe('quiz sessions', () => {
  it('draws labeled, included images without repeats, hides labels, and persists answers', () => {
    let p = newProject(tempDir);
    const dir = p.dir;
    const cat = p.classes.ensure('cat');
    const dog = p.classes.ensure('dog');
    const cats = addImages(p, 25, { classId: cat });
    const dogs = addImages(p, 25, { classId: dog });
    const unlabeled = addImages(p, 30);
    excludeImages(p.db, cats.slice(0, 5), 'blurred');

    const q = startQuiz(p.db, 30, 77);
    expect(q.seed).toBe(77);
    expect(q.items).toHaveLength(30);
    expect(new Set(q.items.map((i) => i.imageId)).size).toBe(30);
    for (const i of q.items) {
      expect(unlabeled).not.toContain(i.imageId);
      expect(cats.slice(0, 5)).not.toContain(i.imageId);
      expect(i).not.toHaveProperty('classId');
      expect(i.answer).toBeNull();
    }
    expect(q.choices.map((c) => c.name)).toEqual(['cat', 'dog']);
    expect(startQuiz(p.db, 30, 77).items.map((i) => i.imageId)).toEqual(q.items.map((i) => i.imageId));

    // Answer: "cat" for everything; the score is then the share of cats.
    for (const i of q.items) answerQuiz(p.db, q.id, i.position, cat);
    const catCount = q.items.filter((i) => cats.includes(i.imageId)).length;
    p.close();

    p = openProject(dir);
    const r = quizResult(p.db, q.id);
    expect(r).toMatchObject({ total: 30, answered: 30, correct: catCount, finished: true });
    expect(r.missed.every((m) => dogs.includes(m.imageId))).toBe(true);
    expect(quizSession(p.db, q.id).finishedAt).not.toBeNull();
    expect(quizSession(p.db, q.id).items.every((i) => i.answer === cat)).toBe(true);
    expect(listQuizzes(p.db).map((s) => s.id)).toEqual([q.id + 1, q.id]);
    p.close();
  });

  it('draws all there are when fewer than asked, and refuses a project with no labels', () => {
    const p = newProject(tempDir);
    addImages(p, 5);
    expect(() => startQuiz(p.db, 30)).toThrow(/label some images first/);
    const cat = p.classes.ensure('cat');
    addImages(p, 4, { classId: cat });
    expect(startQuiz(p.db, 30).items).toHaveLength(4);
    p.close();
  });

  it('rejects answers to unknown quizzes, questions and classes', () => {
    const p = newProject(tempDir);
    const cat = p.classes.ensure('cat');
    addImages(p, 3, { classId: cat });
    const q = startQuiz(p.db, 3, 1);
    expect(() => answerQuiz(p.db, q.id + 5, 0, cat)).toThrow(/no quiz/);
    expect(() => answerQuiz(p.db, q.id, 9, cat)).toThrow(/no question 9/);
    expect(() => answerQuiz(p.db, q.id, 0, 999)).toThrow(/no class #999/);
    expect(answerQuiz(p.db, q.id, 0, 'not_sure')).toEqual({ answered: 1, total: 3, finished: false });
    p.close();
  });
});

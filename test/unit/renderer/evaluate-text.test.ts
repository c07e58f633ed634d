// The Evaluate screen's choices and words: which run and saved evaluation open first,
// when a run cannot be evaluated, progress, skipped images, stale labels, a fixed
// tile's mark and people's quiz accuracy beside the model's.
import { describe, expect, it } from 'vitest';
import {
  changedSinceRunLine,
  compareWithQuiz,
  defaultRunId,
  evaluationOption,
  gainLine,
  memberRows,
  points,
  runOption,
  hasCheckpoint,
  notEvaluableReason,
  pickEvaluation,
  progressLine,
  quizLine,
  relabelText,
  skippedLines,
  staleBanner,
  type EvaluationRowView,
  type EvaluationView,
  type RunView,
} from '../../../renderer/src/views/evaluate/evaluate-text.js';

function run(id: number, over: Partial<RunView> = {}): RunView {
  return {
    id,
    name: `Run ${id}`,
    kind: 'single',
    parentRunId: null,
    status: 'completed',
    modelKind: 'small-cnn',
    backend: 'cpu',
    splitVersionId: 1,
    createdAt: '2024-05-01T10:00:00Z',
    startedAt: null,
    finishedAt: null,
    seconds: 10,
    epochsRun: 5,
    bestEpoch: 4,
    bestValAccuracy: 0.8,
    bestValLoss: 0.5,
    stoppedEarly: false,
    stopReason: null,
    error: null,
    note: '',
    labelsChangedSince: 0,
    ...over,
  };
}

function row(id: number, createdAt: string, over: Partial<EvaluationRowView> = {}): EvaluationRowView {
  return {
    id,
    runId: 1,
    split: 'validation',
    splitVersionId: 1,
    createdAt,
    checkpointEpoch: 4,
    evaluated: 10,
    accuracy: 0.875,
    macroF1: 0.8,
    testUses: null,
    reuseMark: null,
    ...over,
  };
}

describe('defaultRunId', () => {
  const runs = [run(1), run(2, { bestEpoch: null, status: 'failed' }), run(3, { kind: 'member' }), run(4, { kind: 'ensemble' })];

  it('opens the run asked for when it exists', () => {
    expect(defaultRunId(runs, 2)).toBe(2);
  });

  it('else the newest run with a saved model that is not an ensemble member', () => {
    expect(defaultRunId(runs, null)).toBe(4);
    expect(defaultRunId(runs, 99)).toBe(4);
    expect(defaultRunId([run(1), run(5, { bestEpoch: null })], null)).toBe(1);
  });

  it('else the newest run, else none', () => {
    expect(defaultRunId([run(1, { bestEpoch: null }), run(2, { bestEpoch: null })], null)).toBe(2);
    expect(defaultRunId([], null)).toBeNull();
  });
});

describe('notEvaluableReason', () => {
  it('allows a run with a best checkpoint, even while it still trains', () => {
    expect(notEvaluableReason(run(1))).toBeNull();
    expect(notEvaluableReason(run(1, { status: 'running' }))).toBeNull();
  });

  it('explains a run without a saved model, differently while it runs', () => {
    expect(notEvaluableReason(run(1, { bestEpoch: null, status: 'running' }))).toMatch(/first checkpoint/);
    expect(notEvaluableReason(run(1, { bestEpoch: null, status: 'failed' }))).toMatch(/no saved model/);
    expect(notEvaluableReason(null)).toMatch(/Choose a run/);
  });
});

describe('pickEvaluation', () => {
  const list = [row(3, '2024-05-03T00:00:00Z'), row(1, '2024-05-01T00:00:00Z'), row(2, '2024-05-03T00:00:00Z')];

  it('keeps the one asked for, else takes the newest (the higher id on a tie)', () => {
    expect(pickEvaluation(list, 1)).toBe(1);
    expect(pickEvaluation(list, null)).toBe(3);
    expect(pickEvaluation(list, 42)).toBe(3);
    expect(pickEvaluation([], null)).toBeNull();
  });
});

describe('evaluationOption', () => {
  it('names the split, the accuracy and a reuse mark', () => {
    const text = evaluationOption(row(1, '2024-05-01T10:20:00Z', { split: 'test', testUses: 2, reuseMark: 'test set reused (2)' }));
    expect(text).toMatch(/^Test · .+ · 87\.5% · test set reused \(2\)$/);
    expect(evaluationOption(row(1, '2024-05-01T10:20:00Z'))).toMatch(/^Validation · .+ · 87\.5%$/);
  });
});

describe('progressLine', () => {
  const p = { runId: 1, split: 'validation' as const, done: 12, total: 40, error: null };
  it('says what the worker does, with counts', () => {
    expect(progressLine({ ...p, phase: 'loading' })).toBe('Loading the model and the validation images…');
    expect(progressLine({ ...p, phase: 'features' })).toBe('Reading the validation images: 12 of 40 images');
    expect(progressLine({ ...p, split: 'test', phase: 'predicting' })).toBe('Predicting the test images: 12 of 40 images');
    expect(progressLine({ ...p, phase: 'predicting', total: 0 })).toBe('Predicting the validation images');
    expect(progressLine({ ...p, phase: 'done', done: 40 })).toBe('Evaluated 40 validation images.');
  });

  it('gives the reason of a failure in words', () => {
    expect(progressLine({ ...p, phase: 'failed', error: 'The checkpoint file is missing' })).toBe('The evaluation failed: The checkpoint file is missing');
    expect(progressLine({ ...p, phase: 'failed', error: null })).toMatch(/no reason/);
  });
});

describe('skippedLines and changedSinceRunLine', () => {
  it('has one line per non-zero kind, none when nothing was left out', () => {
    expect(skippedLines({ unlabeled: 0, excluded: 0, classNotInModel: 0 }, 'validation')).toEqual([]);
    const lines = skippedLines({ unlabeled: 2, excluded: 1, classNotInModel: 3 }, 'test');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^2 test images had no label/);
    expect(lines[1]).toMatch(/^1 test image was excluded/);
    expect(lines[2]).toMatch(/^3 test images belong to a class this model was not trained on/);
  });

  it('explains labels changed since the run, only when some did', () => {
    expect(changedSinceRunLine(0)).toBeNull();
    expect(changedSinceRunLine(1)).toMatch(/^1 image here has a different label/);
    expect(changedSinceRunLine(4)).toMatch(/^4 images here have a different label/);
  });
});

describe('staleBanner', () => {
  it('counts the labels fixed since the evaluation first', () => {
    expect(staleBanner(3, 2)).toBe('2 labels fixed since this evaluation — train again to learn them, then evaluate again.');
    expect(staleBanner(1, 1)).toMatch(/^1 label fixed since this evaluation — train again to learn it/);
  });

  it('else says the run was trained on old labels, else nothing', () => {
    expect(staleBanner(2, 0)).toMatch(/trained on old labels: 2 labels/);
    expect(staleBanner(0, 0)).toBeNull();
  });
});

describe('relabelText', () => {
  it('marks a tile whose label changed after the evaluation', () => {
    expect(relabelText({ actual: 'circle', currentLabel: 'circle' })).toBeNull();
    expect(relabelText({ actual: 'circle', currentLabel: 'square' })).toBe('relabeled: was circle, now square');
    expect(relabelText({ actual: 'circle', currentLabel: null })).toBe('relabeled: was circle, now unlabeled');
  });
});

describe('quiz beside the model', () => {
  const perClass: EvaluationView['perClass'] = [
    { class: 'circle', precision: 1, recall: 0.9, f1: 0.95, support: 10 },
    { class: 'square', precision: 0.5, recall: 0, f1: 0, support: 0 },
  ];
  const quiz: NonNullable<EvaluationView['quiz']> = {
    sessionId: 1,
    accuracy: 0.95,
    answered: 20,
    finished: true,
    perClass: [{ class: 'circle', accuracy: 1, answered: 8 }],
  };

  it('pairs the model recall with people per class', () => {
    expect(compareWithQuiz(perClass, quiz)).toEqual([
      { class: 'circle', model: 0.9, people: 1, peopleAnswered: 8 },
      { class: 'square', model: null, people: null, peopleAnswered: 0 },
    ]);
    expect(compareWithQuiz(perClass, null).every((c) => c.people === null)).toBe(true);
  });

  it('says who did better, or invites to take the quiz', () => {
    expect(quizLine(quiz, 0.9)).toBe('People got 95% right in the quiz (20 answers): better than the model.');
    expect(quizLine({ ...quiz, finished: false, accuracy: 0.5 }, 0.9)).toBe('People got 50% right in the quiz (20 answers, quiz not finished): below the model.');
    expect(quizLine(null, 0.9)).toMatch(/Try it yourself/);
    expect(quizLine({ ...quiz, answered: 0 }, 0.9)).toMatch(/Try it yourself/);
  });
});

describe('an ensemble on the Evaluate screen', () => {
  const members = [
    { runId: 5, name: 'Trio · member 1', accuracy: 0.8, loss: 0.52 },
    { runId: 6, name: 'Trio · member 2', accuracy: 0.9, loss: 0.4 },
    { runId: 7, name: 'Trio · member 3', accuracy: 0.7, loss: Number.NaN },
  ];

  it('lists each member with its accuracy, loss and distance from the ensemble', () => {
    expect(memberRows({ members, accuracy: 0.9 })).toEqual([
      { runId: 5, name: 'Trio · member 1', accuracy: '80%', loss: '0.520', behind: '−10 pts' },
      { runId: 6, name: 'Trio · member 2', accuracy: '90%', loss: '0.400', behind: '±0 pts' },
      { runId: 7, name: 'Trio · member 3', accuracy: '70%', loss: '—', behind: '−20 pts' },
    ]);
    expect(memberRows({ members: null, accuracy: 0.9 })).toEqual([]);
  });

  it('says the gain in points, and why a loss can happen on few images', () => {
    expect(points(0.042)).toBe('+4.2 pts');
    expect(points(-0.01)).toBe('−1 pt');
    expect(points(0.00001)).toBe('±0 pts');
    expect(gainLine({ members, gain: 0.1 })).toBe('Averaging 3 members is 10 pts more accurate than their average member (gain +10 pts).');
    expect(gainLine({ members, gain: -0.019 })).toMatch(/^Averaging 3 members is 1\.9 pts less accurate .*one borderline image/);
    expect(gainLine({ members, gain: 0 })).toMatch(/as accurate as their average member/);
    expect(gainLine({ members: null, gain: null })).toBeNull();
  });

  it('offers an ensemble once it completed, and names it as an ensemble in the run list', () => {
    expect(hasCheckpoint(run(4, { kind: 'ensemble', bestEpoch: null, status: 'completed' }))).toBe(true);
    expect(hasCheckpoint(run(4, { kind: 'ensemble', bestEpoch: null, status: 'stopped' }))).toBe(false);
    expect(notEvaluableReason(run(4, { kind: 'ensemble', bestEpoch: null, status: 'stopped' }))).toMatch(/resume it on the Train screen/);
    expect(runOption(run(4, { kind: 'ensemble', name: 'Trio', bestEpoch: null, bestValAccuracy: 0.9 }))).toBe('Trio (ensemble) — 90% validation (members averaged)');
    expect(runOption(run(5, { kind: 'member', parentRunId: 4, name: 'Trio · member 1', bestEpoch: 3, bestValAccuracy: 0.8 }))).toMatch(/^ +↳ Trio · member 1 — 80% validation \(epoch 3\)$/);
  });
});

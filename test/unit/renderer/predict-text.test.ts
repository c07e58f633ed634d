// The Predict screen's choices and words: which runs can predict and which opens first,
// the table's order (failures last), probability bars, progress, the model line, and the
// suggestions sent when images are added to the project.
import { describe, expect, it } from 'vitest';
import {
  canPredict,
  defaultPredictRun,
  modelText,
  parsePathList,
  predictableRuns,
  probabilityBars,
  progressText,
  sortPredictions,
  suggestionsFor,
  summaryText,
  type PredictionView,
  type RunView,
} from '../../../renderer/src/views/predict/predict-text.js';

function run(id: number, over: Partial<RunView> = {}): RunView {
  return {
    id,
    name: `Run ${id}`,
    kind: 'single',
    parentRunId: null,
    status: 'completed',
    modelKind: 'small-cnn',
    backend: null,
    splitVersionId: 1,
    createdAt: '2026-01-01T00:00:00Z',
    startedAt: null,
    finishedAt: null,
    seconds: null,
    epochsRun: 3,
    bestEpoch: 2,
    bestValAccuracy: 0.8,
    bestValLoss: 0.5,
    stoppedEarly: false,
    stopReason: null,
    error: null,
    note: '',
    labelsChangedSince: 0,
    ...over,
  } as RunView;
}

const ok = (path: string, confidence: number, predicted = 'cat'): PredictionView => ({
  path,
  ok: true,
  predicted,
  confidence,
  probabilities: { cat: predicted === 'cat' ? confidence : 1 - confidence, dog: predicted === 'dog' ? confidence : 1 - confidence },
});
const bad = (path: string): PredictionView => ({ path, ok: false, predicted: null, confidence: null, probabilities: null, error: 'empty file (0 bytes)' });

describe('which runs can predict', () => {
  it('members predict through their ensemble; a run needs a saved model', () => {
    expect(canPredict(run(1))).toBe(true);
    expect(canPredict(run(2, { bestEpoch: null, status: 'running' }))).toBe(false);
    expect(canPredict(run(3, { kind: 'member', parentRunId: 4 }))).toBe(false);
    expect(canPredict(run(4, { kind: 'ensemble', bestEpoch: null, status: 'completed' }))).toBe(true);
    expect(canPredict(run(5, { kind: 'ensemble', bestEpoch: null, status: 'running' }))).toBe(false);
    expect(predictableRuns([run(1), run(3, { kind: 'member' }), run(6)]).map((r) => r.id)).toEqual([6, 1]);
  });

  it('opens on the run asked for, else the newest completed one', () => {
    const runs = [run(1), run(2, { status: 'stopped' }), run(3, { kind: 'member' })];
    expect(defaultPredictRun(runs, null)).toBe(1);
    expect(defaultPredictRun(runs, 2)).toBe(2);
    expect(defaultPredictRun(runs, 3)).toBe(1); // a member is not offered
    expect(defaultPredictRun([run(2, { status: 'stopped' })], null)).toBe(2);
    expect(defaultPredictRun([], null)).toBeNull();
  });
});

describe('the table', () => {
  const rows = [ok('/a/b.png', 0.6), bad('/a/z.png'), ok('/a/a.png', 0.9), bad('/a/c.png'), ok('/a/c2.png', 0.6)];

  it('sorts by confidence either way or by file, failures always last by file', () => {
    expect(sortPredictions(rows, 'confidence-desc').map((r) => r.path)).toEqual(['/a/a.png', '/a/b.png', '/a/c2.png', '/a/c.png', '/a/z.png']);
    expect(sortPredictions(rows, 'confidence-asc').map((r) => r.path)).toEqual(['/a/b.png', '/a/c2.png', '/a/a.png', '/a/c.png', '/a/z.png']);
    expect(sortPredictions(rows, 'file').map((r) => r.path)).toEqual(['/a/a.png', '/a/b.png', '/a/c2.png', '/a/c.png', '/a/z.png']);
  });

  it('one bar per class in the model order, the predicted one marked; none for a failure', () => {
    expect(probabilityBars(ok('/x.png', 0.75, 'dog'), ['cat', 'dog'])).toEqual([
      { className: 'cat', probability: 0.25, width: 25, predicted: false },
      { className: 'dog', probability: 0.75, width: 75, predicted: true },
    ]);
    expect(probabilityBars(bad('/x.png'), ['cat', 'dog'])).toEqual([]);
  });

  it('adds only chosen, predicted images, each with its predicted class', () => {
    const chosen = new Set(['/a/a.png', '/a/z.png']);
    expect(suggestionsFor(rows, chosen)).toEqual([{ path: '/a/a.png', className: 'cat', confidence: 0.9 }]);
  });
});

describe('words', () => {
  it('names the model, the summary and the progress', () => {
    const model = { runId: 4, runName: 'pair', kind: 'ensemble' as const, members: 2, memberRunIds: [5, 6], checkpointEpochs: [3, 4], modelKind: 'small-cnn', classes: ['a'], backend: null };
    expect(modelText(model)).toBe('pair: the average of 2 members (best checkpoints, epochs 3, 4)');
    expect(modelText({ ...model, kind: 'single', members: 1, checkpointEpochs: [7] })).toBe('pair: best checkpoint (epoch 7)');
    expect(summaryText({ images: 5, failed: 2 })).toBe('3 images predicted; 2 could not be read (reason in the table)');
    expect(summaryText({ images: 1, failed: 0 })).toBe('1 image predicted');
    expect(progressText({ runId: 1, phase: 'reading', done: 3, total: 10, error: null })).toBe('Reading images: 3 of 10');
    expect(progressText({ runId: 1, phase: 'failed', done: 0, total: 0, error: 'boom' })).toBe('Failed: boom');
    expect(progressText(null)).toBe('Starting…');
  });

  it('reads typed paths one per line', () => {
    expect(parsePathList(' /a/b.png \n\n/c\r\n/a/b.png')).toEqual(['/a/b.png', '/c']);
  });
});

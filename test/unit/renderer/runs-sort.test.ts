// The Runs table's order: any column, either way, runs without a value always last,
// ties newest first; and which way a header's first click sorts.
import { describe, expect, it } from 'vitest';
import { ariaSort, firstDirection, nextSort, sortRuns, sortValue, withMembersUnder, type SortableRun, type SortKey } from '../../../renderer/src/views/runs/run-sort.js';

function run(id: number, over: Partial<SortableRun> = {}): SortableRun {
  return {
    id,
    name: `Run ${id}`,
    createdAt: `2026-01-0${id}T10:00:00.000Z`,
    status: 'completed',
    modelKind: 'small-cnn',
    bestValAccuracy: 0.5,
    bestValLoss: 1,
    epochsRun: 5,
    seconds: 10,
    ...over,
  };
}

const ids = (rs: SortableRun[]) => rs.map((r) => r.id);

describe('sortRuns', () => {
  const runs = [
    run(1, { bestValAccuracy: 0.7, bestValLoss: 0.4, seconds: 30, epochsRun: 8 }),
    run(2, { bestValAccuracy: null, bestValLoss: null, seconds: null, epochsRun: 0, status: 'failed', modelKind: null }),
    run(3, { bestValAccuracy: 0.9, bestValLoss: 0.2, seconds: 12, epochsRun: 3, status: 'running' }),
    run(4, { bestValAccuracy: 0.7, bestValLoss: 0.5, seconds: 5, epochsRun: 12, modelKind: 'frozen-head' }),
  ];

  it('puts runs without a metric last in both directions', () => {
    expect(ids(sortRuns(runs, { key: 'bestValAccuracy', direction: 'desc' }))).toEqual([3, 4, 1, 2]);
    expect(ids(sortRuns(runs, { key: 'bestValAccuracy', direction: 'asc' }))).toEqual([4, 1, 3, 2]);
    expect(ids(sortRuns(runs, { key: 'bestValLoss', direction: 'asc' }))).toEqual([3, 1, 4, 2]);
    expect(ids(sortRuns(runs, { key: 'bestValLoss', direction: 'desc' }))).toEqual([4, 1, 3, 2]);
    expect(ids(sortRuns(runs, { key: 'duration', direction: 'asc' }))).toEqual([4, 3, 1, 2]);
    expect(ids(sortRuns(runs, { key: 'modelKind', direction: 'desc' }))).toEqual([3, 1, 4, 2]);
  });

  it('breaks ties newest first (higher id), whatever the direction', () => {
    // Runs 1 and 4 share 70%.
    expect(ids(sortRuns(runs, { key: 'bestValAccuracy', direction: 'desc' })).slice(1, 3)).toEqual([4, 1]);
    expect(ids(sortRuns(runs, { key: 'bestValAccuracy', direction: 'asc' })).slice(0, 2)).toEqual([4, 1]);
  });

  it('sorts names as people read them: numbers by value, case ignored', () => {
    const named = [run(1, { name: 'run 10' }), run(2, { name: 'Run 2' }), run(3, { name: 'augment' }), run(4, { name: 'Run 1' })];
    expect(sortRuns(named, { key: 'name', direction: 'asc' }).map((r) => r.name)).toEqual(['augment', 'Run 1', 'Run 2', 'run 10']);
    expect(sortRuns(named, { key: 'name', direction: 'desc' }).map((r) => r.name)).toEqual(['run 10', 'Run 2', 'Run 1', 'augment']);
  });

  it('sorts by creation time, epochs and status', () => {
    expect(ids(sortRuns(runs, { key: 'created', direction: 'desc' }))).toEqual([4, 3, 2, 1]);
    expect(ids(sortRuns(runs, { key: 'epochs', direction: 'desc' }))).toEqual([4, 1, 3, 2]);
    expect(ids(sortRuns(runs, { key: 'status', direction: 'asc' }))).toEqual([4, 1, 2, 3]);
  });

  it('treats NaN and unparsable dates as missing, and does not change its input', () => {
    const odd = [run(1, { bestValLoss: Number.NaN, createdAt: 'not a date' }), run(2, { bestValLoss: 0.3 })];
    const before = ids(odd);
    expect(ids(sortRuns(odd, { key: 'bestValLoss', direction: 'desc' }))).toEqual([2, 1]);
    expect(ids(sortRuns(odd, { key: 'created', direction: 'asc' }))).toEqual([2, 1]);
    expect(ids(odd)).toEqual(before);
    expect(sortValue(odd[0]!, 'created')).toBeNull();
  });
});

describe('header clicks', () => {
  it('first sorts the way "best" reads, then flips', () => {
    const wants: Record<SortKey, 'asc' | 'desc'> = {
      name: 'asc',
      created: 'desc',
      status: 'asc',
      modelKind: 'asc',
      bestValAccuracy: 'desc',
      bestValLoss: 'asc',
      epochs: 'desc',
      duration: 'desc',
    };
    for (const [key, dir] of Object.entries(wants) as [SortKey, 'asc' | 'desc'][]) expect(firstDirection(key)).toBe(dir);
    const s1 = nextSort({ key: 'created', direction: 'desc' }, 'bestValLoss');
    expect(s1).toEqual({ key: 'bestValLoss', direction: 'asc' });
    expect(nextSort(s1, 'bestValLoss')).toEqual({ key: 'bestValLoss', direction: 'desc' });
    expect(ariaSort(s1, 'bestValLoss')).toBe('ascending');
    expect(ariaSort(s1, 'name')).toBe('none');
  });
});

describe('withMembersUnder', () => {
  const r = (id: number, kind: string, parentRunId: number | null = null) => ({ id, kind, parentRunId });

  it('puts each ensemble\'s members right under it, oldest first, wherever the sort put them', () => {
    const sorted = [r(7, 'member', 4), r(9, 'single'), r(5, 'member', 4), r(4, 'ensemble'), r(6, 'member', 4), r(2, 'single')];
    expect(withMembersUnder(sorted).map((x) => x.id)).toEqual([9, 4, 5, 6, 7, 2]);
  });

  it('keeps a member whose ensemble is not listed in its own place, and leaves lists without ensembles alone', () => {
    expect(withMembersUnder([r(3, 'member', 1), r(2, 'single')]).map((x) => x.id)).toEqual([3, 2]);
    const plain = [r(3, 'single'), r(1, 'single'), r(2, 'single')];
    expect(withMembersUnder(plain)).toEqual(plain);
    expect(withMembersUnder([])).toEqual([]);
  });
});

// What the Runs screen lets a person do with a run, and the words it uses.
import { describe, expect, it } from 'vitest';
import { checkEdit, checkpointFiles, deleteBlocked, deleteItems, evaluateBlocked, NAME_MAX, NOTE_MAX, oldLabelsMark } from '../../../renderer/src/views/runs/run-actions.js';

describe('checkEdit', () => {
  it('trims a name and refuses an empty or too long one with a message', () => {
    expect(checkEdit('name', '  Baseline  ')).toEqual({ value: 'Baseline', error: null });
    expect(checkEdit('name', '   ').error).toBe('A run needs a name.');
    expect(checkEdit('name', 'x'.repeat(NAME_MAX)).value).toHaveLength(NAME_MAX);
    expect(checkEdit('name', 'x'.repeat(NAME_MAX + 1)).error).toMatch(/at most 200 characters \(this one has 201\)/);
  });
  it('lets a note be empty (removing it) but not too long', () => {
    expect(checkEdit('note', '  \n')).toEqual({ value: '', error: null });
    expect(checkEdit('note', 'line 1\nline 2')).toEqual({ value: 'line 1\nline 2', error: null });
    expect(checkEdit('note', 'y'.repeat(NOTE_MAX + 1)).error).toMatch(/at most 5000/);
  });
});

describe('what can be done with a run', () => {
  it('cannot evaluate or delete a run that is training; a run without a checkpoint cannot be evaluated', () => {
    for (const status of ['queued', 'running', 'stopping']) {
      expect(deleteBlocked({ status, bestEpoch: 3 })).toMatch(/stop it first/);
      expect(evaluateBlocked({ status, bestEpoch: 3 })).toMatch(/still training/);
    }
    expect(evaluateBlocked({ status: 'failed', bestEpoch: null })).toMatch(/no checkpoint/);
    for (const status of ['completed', 'stopped', 'interrupted']) {
      expect(evaluateBlocked({ status, bestEpoch: 2 })).toBeNull();
      expect(deleteBlocked({ status, bestEpoch: null })).toBeNull();
    }
  });
  it('evaluates an ensemble only once all its members are trained, and deletes members only with their ensemble', () => {
    // An ensemble has no best epoch of its own: it is ready when it completed.
    expect(evaluateBlocked({ kind: 'ensemble', status: 'completed', bestEpoch: null })).toBeNull();
    expect(evaluateBlocked({ kind: 'ensemble', status: 'stopped', bestEpoch: null })).toMatch(/Not all its members are trained: resume it/);
    expect(evaluateBlocked({ kind: 'ensemble', status: 'running', bestEpoch: null })).toMatch(/still training/);
    expect(evaluateBlocked({ kind: 'member', status: 'completed', bestEpoch: 2 })).toBeNull();
    expect(deleteBlocked({ kind: 'member', status: 'completed', bestEpoch: 2 })).toMatch(/Part of an ensemble: deleting the ensemble removes it/);
    expect(deleteBlocked({ kind: 'ensemble', status: 'completed', bestEpoch: null })).toBeNull();
  });
  it('marks a run trained on old labels only when labels changed', () => {
    expect(oldLabelsMark(0)).toBeNull();
    expect(oldLabelsMark(1)).toBe('trained on old labels (1 image relabeled since)');
    expect(oldLabelsMark(12)).toBe('trained on old labels (12 images relabeled since)');
  });
});

describe('the delete confirmation', () => {
  it('counts a checkpoint file shared by "best" and "last" once', () => {
    expect(
      checkpointFiles([
        { path: 'checkpoints/1/epoch-0004', bytes: 1000 },
        { path: 'checkpoints/1/epoch-0006', bytes: 2500 },
        { path: 'checkpoints/1/epoch-0006', bytes: 2500 },
      ]),
    ).toEqual({ count: 2, bytes: 3500 });
  });
  it('says what goes, and what is not known yet', () => {
    expect(deleteItems({ name: 'A', epochs: 6, checkpoints: { count: 2, bytes: 13_000_000 }, evaluations: 3 })).toEqual([
      'its 6 recorded epochs and curves',
      '2 checkpoint files (13 MB)',
      '3 saved evaluations',
    ]);
    expect(deleteItems({ name: 'A', epochs: 1, checkpoints: null, evaluations: null })).toEqual([
      'its 1 recorded epoch and curves',
      'its checkpoint files',
      'its saved evaluations',
    ]);
    expect(deleteItems({ name: 'A', epochs: 0, checkpoints: { count: 0, bytes: 0 }, evaluations: 0 })).toEqual([
      'its 0 recorded epochs and curves',
      'its checkpoint files (none are left)',
    ]);
  });
});

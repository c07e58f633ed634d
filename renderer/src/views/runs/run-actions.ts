// What a person may do with a run on the Runs screen, and the words for it: the checks of
// the rename and note fields (the same limits as runs.update's, said before the call),
// which runs can be evaluated or deleted and why not, the labels-changed mark, and the
// sentence that says what a delete removes. Pure, unit-tested.
import { formatBytes, plural } from '../../lib/format.js';

export const NAME_MAX = 200;
export const NOTE_MAX = 5000;

export type EditField = 'name' | 'note';

/** The trimmed value to send, or the error to show under the field. */
export function checkEdit(field: EditField, raw: string): { value: string; error: null } | { value: null; error: string } {
  if (field === 'name') {
    const value = raw.trim();
    if (value.length === 0) return { value: null, error: 'A run needs a name.' };
    if (value.length > NAME_MAX) return { value: null, error: `A name can be at most ${NAME_MAX} characters (this one has ${value.length}).` };
    return { value, error: null };
  }
  // A note may be empty (that removes it); only its outer blank lines go.
  const value = raw.trim();
  if (value.length > NOTE_MAX) return { value: null, error: `A note can be at most ${NOTE_MAX} characters (this one has ${value.length}).` };
  return { value, error: null };
}

/** Statuses in which the training process still owns the run. */
const ACTIVE = new Set(['queued', 'running', 'stopping']);

export function isActive(status: string): boolean {
  return ACTIVE.has(status);
}

interface RunState {
  status: string;
  bestEpoch: number | null;
  /** 'single' when absent. */
  kind?: string;
}

/**
 * Evaluation uses the run's best checkpoint: a run has one once an epoch was validated, and
 * it is not still training. An ensemble averages its members: it needs all of them trained.
 */
export function evaluateBlocked(run: RunState): string | null {
  if (isActive(run.status)) return 'It is still training: evaluate it when it has finished.';
  if (run.kind === 'ensemble') return run.status === 'completed' ? null : 'Not all its members are trained: resume it to train the rest.';
  if (run.bestEpoch === null) return 'It has no checkpoint to evaluate (no epoch finished).';
  return null;
}

/** Why a run cannot be deleted now, or null when it can. */
export function deleteBlocked(run: RunState): string | null {
  if (isActive(run.status)) return 'It is training: stop it first, then delete it.';
  // An ensemble without one of its members would average a different set of models.
  if (run.kind === 'member') return 'Part of an ensemble: deleting the ensemble removes it.';
  return null;
}

/** "trained on old labels (3 images relabeled since)", or null when the labels are unchanged. */
export function oldLabelsMark(labelsChangedSince: number): string | null {
  if (!(labelsChangedSince > 0)) return null;
  return `trained on old labels (${plural(labelsChangedSince, 'image')} relabeled since)`;
}

export interface DeleteFacts {
  name: string;
  epochs: number;
  /** Checkpoint files and their total size; null while not known. */
  checkpoints: { count: number; bytes: number } | null;
  /** Saved evaluations of the run; null while not known. */
  evaluations: number | null;
}

/** What goes with the run, item by item, for the confirmation. */
export function deleteItems(f: DeleteFacts): string[] {
  const items = [`its ${plural(f.epochs, 'recorded epoch')} and curves`];
  if (f.checkpoints === null) items.push('its checkpoint files');
  else if (f.checkpoints.count === 0) items.push('its checkpoint files (none are left)');
  else items.push(`${plural(f.checkpoints.count, 'checkpoint file')} (${formatBytes(f.checkpoints.bytes)})`);
  if (f.evaluations === null) items.push('its saved evaluations');
  else if (f.evaluations > 0) items.push(`${plural(f.evaluations, 'saved evaluation')}`);
  return items;
}

/** Checkpoint files of a run: 'best' and 'last' may be the same file, counted once. */
export function checkpointFiles(checkpoints: readonly { path: string; bytes: number }[]): { count: number; bytes: number } {
  const byPath = new Map<string, number>();
  for (const c of checkpoints) byPath.set(c.path, c.bytes);
  let bytes = 0;
  for (const b of byPath.values()) bytes += b;
  return { count: byPath.size, bytes };
}

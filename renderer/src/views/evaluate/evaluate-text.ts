// The Evaluate screen's words and choices: which run and which saved evaluation to show
// first, the progress line, the one-line explanations of skipped images and changed
// labels, a fixed label's mark, and people's quiz accuracy beside the model's per class.
// Pure functions of the contract's shapes.
import type { EventPayload, Response } from '../../../../electron/api/contract.js';
import { formatCount, formatDateTime, plural } from '../../lib/format.js';

export type EvaluationView = Response<'evaluate.get'>;
export type EvaluationRowView = Response<'evaluate.list'>['evaluations'][number];
export type EvaluatedImageView = Response<'evaluate.images'>['images'][number];
export type EvaluateProgress = EventPayload<'evaluate.progress'>;
export type RunView = Response<'runs.list'>['runs'][number];

/** "87.5%"; "—" for a missing number. */
export function pct(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(1).replace(/\.0$/, '')}%`;
}

/**
 * A run has a best checkpoint to evaluate once an epoch was validated; an ensemble (no
 * checkpoint of its own: it averages its members') once all its members are trained.
 */
export function hasCheckpoint(run: Pick<RunView, 'bestEpoch'> & { kind?: string; status?: string }): boolean {
  if (run.kind === 'ensemble') return run.status === 'completed';
  return run.bestEpoch !== null;
}

/**
 * The run to show: the one asked for when it exists, else the newest run with a best
 * checkpoint (ensemble members are shown through their ensemble), else the newest run.
 */
export function defaultRunId(runs: readonly RunView[], requested: number | null): number | null {
  if (requested !== null && runs.some((r) => r.id === requested)) return requested;
  const newestFirst = [...runs].sort((a, b) => b.id - a.id);
  const usable = newestFirst.find((r) => hasCheckpoint(r) && r.kind !== 'member');
  return (usable ?? newestFirst[0])?.id ?? null;
}

/** Why "Evaluate" is not offered for a run now (null: it is). */
export function notEvaluableReason(run: (Pick<RunView, 'bestEpoch' | 'status'> & { kind?: string }) | null): string | null {
  if (!run) return 'Choose a run first.';
  if (run.kind === 'ensemble' && !hasCheckpoint(run)) {
    return run.status === 'running' || run.status === 'queued' || run.status === 'stopping'
      ? 'This ensemble is still training its members: evaluate it when the last one has finished.'
      : 'Not all members of this ensemble are trained: resume it on the Train screen to train the rest.';
  }
  if (!hasCheckpoint(run)) {
    return run.status === 'running' || run.status === 'queued'
      ? 'This run has not finished an epoch yet: there is no model to evaluate. Wait for its first checkpoint.'
      : 'This run has no saved model (it stopped before its first epoch ended). Train again or choose another run.';
  }
  return null;
}

/** The saved evaluation to show: the one asked for when listed, else the newest. */
export function pickEvaluation(list: readonly EvaluationRowView[], preferred: number | null): number | null {
  if (preferred !== null && list.some((e) => e.id === preferred)) return preferred;
  if (list.length === 0) return null;
  return list.reduce((newest, e) => (e.createdAt > newest.createdAt || (e.createdAt === newest.createdAt && e.id > newest.id) ? e : newest)).id;
}

/** One option of the saved-evaluations picker: "Test · 1 May 2024, 10:20 · 87.5% · test set reused (2)". */
export function evaluationOption(e: EvaluationRowView): string {
  const split = e.split === 'test' ? 'Test' : 'Validation';
  const mark = e.reuseMark ? ` · ${e.reuseMark}` : '';
  return `${split} · ${formatDateTime(e.createdAt)} · ${pct(e.accuracy)}${mark}`;
}

/** The run picker's option: "Run 3 — 87.5% validation (epoch 7)". */
export function runOption(r: RunView): string {
  if (r.kind === 'ensemble') {
    const ens = r.bestValAccuracy === null ? 'not fully trained' : `${pct(r.bestValAccuracy)} validation (members averaged)`;
    return `${r.name} (ensemble) — ${ens}`;
  }
  const best = r.bestValAccuracy === null ? 'no saved model' : `${pct(r.bestValAccuracy)} validation (epoch ${r.bestEpoch})`;
  // A member is listed under its ensemble's name; it can be evaluated alone too.
  return `${r.kind === 'member' ? '   ↳ ' : ''}${r.name} — ${best}`;
}

/** The line under the buttons while an evaluation works. */
export function progressLine(p: EvaluateProgress): string {
  const on = p.split === 'test' ? 'test' : 'validation';
  const count = p.total > 0 ? `: ${formatCount(p.done)} of ${formatCount(p.total)} images` : '';
  switch (p.phase) {
    case 'loading':
      return `Loading the model and the ${on} images…`;
    case 'features':
      return `Reading the ${on} images${count}`;
    case 'predicting':
      return `Predicting the ${on} images${count}`;
    case 'done':
      return `Evaluated ${plural(p.total, `${on} image`)}.`;
    case 'failed':
      return `The evaluation failed: ${p.error ?? 'no reason was given'}`;
  }
}

/** The progress is of work still going on. */
export function isWorking(p: EvaluateProgress | null): boolean {
  return p !== null && p.phase !== 'done' && p.phase !== 'failed';
}

/** One sentence per kind of image left out of the evaluation (none when nothing was). */
export function skippedLines(skipped: EvaluationView['skipped'], split: EvaluationView['split']): string[] {
  const where = split === 'test' ? 'test' : 'validation';
  const lines: string[] = [];
  if (skipped.unlabeled > 0) {
    lines.push(`${plural(skipped.unlabeled, `${where} image`)} had no label, so there was no right answer to compare with; label them in the Library to count them.`);
  }
  if (skipped.excluded > 0) {
    lines.push(`${plural(skipped.excluded, `${where} image`)} ${skipped.excluded === 1 ? 'was' : 'were'} excluded from the dataset and left out.`);
  }
  if (skipped.classNotInModel > 0) {
    lines.push(
      `${plural(skipped.classNotInModel, `${where} image`)} ${skipped.classNotInModel === 1 ? 'belongs' : 'belong'} to a class this model was not trained on, so it could not get ${skipped.classNotInModel === 1 ? 'it' : 'them'} right; train again to include the class.`,
    );
  }
  return lines;
}

/** The evaluation counted images whose label changed after the run was trained (null: none did). */
export function changedSinceRunLine(n: number): string | null {
  if (n <= 0) return null;
  return `${plural(n, 'image')} here ${n === 1 ? 'has' : 'have'} a different label than when this model was trained: it learned the old ${n === 1 ? 'label' : 'labels'}, and is scored against the label the image had at evaluation time.`;
}

/**
 * The banner over a result whose labels were fixed: "2 labels fixed since this evaluation —
 * train again to learn them". The evaluation's own count when labels changed after it,
 * else the run's (labels changed after training but before this evaluation).
 */
export function staleBanner(runChanged: number, evaluationChanged: number): string | null {
  if (evaluationChanged > 0) {
    return `${plural(evaluationChanged, 'label')} fixed since this evaluation — train again to learn ${evaluationChanged === 1 ? 'it' : 'them'}, then evaluate again.`;
  }
  if (runChanged > 0) {
    return `This run was trained on old labels: ${plural(runChanged, 'label')} of its split changed since — train again to learn ${runChanged === 1 ? 'it' : 'them'}.`;
  }
  return null;
}

/** A fixed tile's mark: "relabeled: was circle, now square"; null while the label is unchanged. */
export function relabelText(image: Pick<EvaluatedImageView, 'actual' | 'currentLabel'>): string | null {
  if (image.currentLabel === image.actual) return null;
  if (image.currentLabel === null) return `relabeled: was ${image.actual}, now unlabeled`;
  return `relabeled: was ${image.actual}, now ${image.currentLabel}`;
}

/** The model's recall of each class (its accuracy on that class's images) beside people's quiz accuracy. */
export interface ClassComparison {
  class: string;
  model: number | null;
  people: number | null;
  peopleAnswered: number;
}

export function compareWithQuiz(perClass: EvaluationView['perClass'], quiz: EvaluationView['quiz']): ClassComparison[] {
  const byClass = new Map((quiz?.perClass ?? []).map((q) => [q.class, q]));
  return perClass.map((c) => {
    const q = byClass.get(c.class);
    return { class: c.class, model: c.support > 0 ? c.recall : null, people: q?.accuracy ?? null, peopleAnswered: q?.answered ?? 0 };
  });
}

/** "People got 78% right in the quiz (40 answers), the model 92%." */
export function quizLine(quiz: EvaluationView['quiz'], modelAccuracy: number): string {
  if (!quiz || quiz.answered === 0) return 'Take the quiz on the “Try it yourself” screen to compare your own accuracy with the model’s.';
  const unfinished = quiz.finished ? '' : ', quiz not finished';
  const who = quiz.accuracy > modelAccuracy ? 'better than the model' : quiz.accuracy < modelAccuracy ? 'below the model' : 'the same as the model';
  return `People got ${pct(quiz.accuracy)} right in the quiz (${plural(quiz.answered, 'answer')}${unfinished}): ${who}.`;
}

/** One row of an ensemble's member table. */
export interface MemberRow {
  runId: number;
  name: string;
  accuracy: string;
  loss: string;
  /** The member's accuracy minus the ensemble's, in percentage points ("−2.1 pts"). */
  behind: string;
}

/** The member table of an ensemble evaluation; [] for a single model. */
export function memberRows(e: Pick<EvaluationView, 'members' | 'accuracy'>): MemberRow[] {
  return (e.members ?? []).map((m) => ({
    runId: m.runId,
    name: m.name,
    accuracy: pct(m.accuracy),
    loss: Number.isFinite(m.loss) ? m.loss.toFixed(3) : '—',
    behind: points(m.accuracy - e.accuracy),
  }));
}

/** "+4.2 pts", "−1 pt", "±0 pts": a difference of accuracies in percentage points. */
export function points(diff: number): string {
  const p = Math.round(diff * 1000) / 10;
  if (p === 0) return '±0 pts';
  const n = Math.abs(p).toFixed(1).replace(/\.0$/, '');
  return `${p > 0 ? '+' : '−'}${n} ${n === '1' ? 'pt' : 'pts'}`;
}

/** The gain of averaging, in words; null for a single model. */
export function gainLine(e: Pick<EvaluationView, 'members' | 'gain'>): string | null {
  if (!e.members || e.gain === null) return null;
  const n = e.members.length;
  if (Math.round(e.gain * 1000) === 0) return `Averaging ${n} members is as accurate as their average member here (gain ±0 pts).`;
  return e.gain > 0
    ? `Averaging ${n} members is ${points(e.gain).slice(1)} more accurate than their average member (gain ${points(e.gain)}).`
    : `Averaging ${n} members is ${points(e.gain).slice(1)} less accurate than their average member here (gain ${points(e.gain)}): on few images one borderline image can do that.`;
}

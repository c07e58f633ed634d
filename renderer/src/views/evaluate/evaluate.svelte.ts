// The Evaluate screen's state: the runs to choose from, the chosen run's saved
// evaluations and the one shown, an evaluation in progress (followed through
// `evaluate.progress` events), the test lockbox's status, and the classes a label can be
// fixed to. Everything is re-read from the app (runs.list, evaluate.list, evaluate.get),
// so a reopened window shows the same thing; events only add to it.
import { withMembersUnder } from '../runs/run-sort.js';
import type { EventPayload } from '../../../../electron/api/contract.js';
import type { HoldoutClient } from '../../lib/api/client.js';
import { DebouncedReload } from '../../lib/state/debounced-reload.js';
import { messageOf } from '../../lib/errors.js';
import {
  defaultRunId,
  isWorking,
  pickEvaluation,
  type EvaluateProgress,
  type EvaluatedImageView,
  type EvaluationRowView,
  type EvaluationView,
  type RunView,
} from './evaluate-text.js';
import { GalleryState } from './gallery.svelte.js';
import type { LockboxFacts, TestRequestFlags } from './lockbox-steps.js';

export interface ClassChoice {
  id: number;
  name: string;
}

export class EvaluateState {
  readonly #api: HoldoutClient;

  #runs = $state.raw<RunView[]>([]);
  #runsLoaded = $state(false);
  #runId = $state<number | null>(null);
  #evaluations = $state.raw<EvaluationRowView[]>([]);
  #evaluation = $state.raw<EvaluationView | null>(null);
  #evaluationId = $state<number | null>(null);
  #progress = $state.raw<EvaluateProgress | null>(null);
  #running = $state(false);
  #error = $state<string | null>(null);
  #classes = $state.raw<ClassChoice[]>([]);
  /** Many changes in a row cause one reload. */
  readonly #reloads = new DebouncedReload(() => this.reload());
  /** Which evaluate.get is newest: a late answer for another evaluation is dropped. */
  #asked = 0;

  /** The images of the clicked matrix cell. */
  readonly cell: GalleryState;

  constructor(api: HoldoutClient) {
    this.#api = api;
    this.cell = new GalleryState(api);
  }

  get runs(): RunView[] {
    return this.#runs;
  }
  get runsLoaded(): boolean {
    return this.#runsLoaded;
  }
  get runId(): number | null {
    return this.#runId;
  }
  get run(): RunView | null {
    return this.#runs.find((r) => r.id === this.#runId) ?? null;
  }
  get evaluations(): EvaluationRowView[] {
    return this.#evaluations;
  }
  get evaluationId(): number | null {
    return this.#evaluationId;
  }
  get evaluation(): EvaluationView | null {
    return this.#evaluation;
  }
  /** The newest progress of an evaluation of the chosen run (kept after it ends, until the next). */
  get progress(): EvaluateProgress | null {
    return this.#progress;
  }
  /** An evaluation of the chosen run is in progress (started here or elsewhere). */
  get running(): boolean {
    return this.#running || isWorking(this.#progress);
  }
  get error(): string | null {
    return this.#error;
  }
  get classes(): ClassChoice[] {
    return this.#classes;
  }

  /** Follows evaluation progress and label changes; returns how to stop. */
  connect(): () => void {
    return this.#reloads.stopWith(
      this.#api.on('evaluate.progress', (p) => this.#onProgress(p)),
      this.#api.on('project.changed', (p: EventPayload<'project.changed'>) => {
        // A label fixed anywhere (here, the Library) changes the run's and evaluation's counts.
        if (p.reason === 'labels' || p.reason === 'runs' || p.reason === 'classes' || p.reason === 'evaluations') this.#reloads.schedule();
      }),
      this.#api.onReconnect(() => void this.reload()),
    );
  }

  /** The runs and classes, then the run asked for (or the newest evaluable one). */
  async load(requestedRunId: number | null): Promise<void> {
    await Promise.all([this.#loadRuns(), this.#loadClasses()]);
    const id = defaultRunId(this.#runs, requestedRunId ?? this.#runId);
    if (id !== null) await this.selectRun(id);
  }

  /**
   * Everything shown, re-read (after a reconnect or a change elsewhere). `newest`: show the
   * newest evaluation (one just finished elsewhere) rather than the one shown.
   */
  async reload(newest = false): Promise<void> {
    await Promise.all([this.#loadRuns(), this.#loadClasses()]);
    if (this.#runId !== null) await this.#loadEvaluations(newest ? null : this.#evaluationId);
    await this.cell.refresh();
  }

  async #loadRuns(): Promise<void> {
    try {
      const { runs } = await this.#api.call('runs.list', {});
      // Newest first, each ensemble's members listed right under it.
      this.#runs = withMembersUnder([...runs].sort((a, b) => b.id - a.id));
    } catch (err) {
      this.#error = messageOf(err);
    } finally {
      this.#runsLoaded = true;
    }
  }

  async #loadClasses(): Promise<void> {
    try {
      const { classes } = await this.#api.call('classes.list', {});
      this.#classes = classes.map((c) => ({ id: c.id, name: c.name }));
    } catch (err) {
      this.#error = messageOf(err);
    }
  }

  /** Shows a run: its saved evaluations, the newest of them. */
  async selectRun(runId: number): Promise<void> {
    if (this.#runId !== runId) {
      this.#runId = runId;
      this.#evaluations = [];
      this.#evaluation = null;
      this.#evaluationId = null;
      this.#progress = null;
      this.#error = null;
      this.cell.close();
    }
    await this.#loadEvaluations(null);
  }

  async #loadEvaluations(preferred: number | null): Promise<void> {
    const runId = this.#runId;
    if (runId === null) return;
    try {
      const { evaluations } = await this.#api.call('evaluate.list', { runId });
      if (this.#runId !== runId) return;
      this.#evaluations = evaluations;
      const id = pickEvaluation(evaluations, preferred);
      if (id === null) {
        this.#evaluation = null;
        this.#evaluationId = null;
      } else await this.selectEvaluation(id);
    } catch (err) {
      if (this.#runId === runId) this.#error = messageOf(err);
    }
  }

  /** Shows one saved evaluation, whole. */
  async selectEvaluation(evaluationId: number): Promise<void> {
    const asked = ++this.#asked;
    if (this.#evaluationId !== evaluationId) this.cell.close();
    this.#evaluationId = evaluationId;
    try {
      const evaluation = await this.#api.call('evaluate.get', { evaluationId });
      if (asked === this.#asked) this.#evaluation = evaluation;
    } catch (err) {
      if (asked === this.#asked) this.#error = messageOf(err);
    }
  }

  /** Evaluates the chosen run on its validation images: any time, as often as wanted. */
  async evaluateValidation(): Promise<void> {
    await this.#evaluate({});
  }

  /** What the lockbox dialog needs: how many times the run's test set was opened, how big it is. */
  async lockboxFacts(): Promise<LockboxFacts> {
    const run = this.run;
    if (!run) throw new Error('Choose a run first.');
    const status = await this.#api.call('lockbox.status', { versionId: run.splitVersionId });
    return { uses: status.uses, testImages: status.testImages };
  }

  /**
   * Evaluates on the test set with the dialog's confirmations. Returns the refusal's words
   * (the lockbox can refuse: another window used the test set meanwhile), or null when done.
   */
  async evaluateTest(flags: TestRequestFlags): Promise<string | null> {
    return this.#evaluate({ split: 'test', ...flags });
  }

  async #evaluate(test: { split?: 'test'; confirm?: true; confirmReuse?: boolean }): Promise<string | null> {
    const runId = this.#runId;
    if (runId === null || this.running) return null;
    this.#running = true;
    this.#error = null;
    this.#progress = { runId, split: test.split ?? 'validation', phase: 'loading', done: 0, total: 0, error: null };
    try {
      const evaluation = await this.#api.call('evaluate.run', { runId, split: 'validation', ...test });
      if (this.#runId !== runId) return null;
      this.#progress = { ...this.#progress, phase: 'done', done: evaluation.evaluated, total: evaluation.evaluated, error: null };
      this.#evaluation = evaluation;
      this.#evaluationId = evaluation.id;
      this.cell.close();
      ++this.#asked;
      await this.#loadEvaluations(evaluation.id);
      return null;
    } catch (err) {
      const message = messageOf(err);
      if (this.#runId === runId) {
        // A test evaluation's refusal is shown in its dialog, which stays open; the page says the rest.
        if (test.split !== 'test') this.#error = message;
        this.#progress = null;
      }
      return message;
    } finally {
      this.#running = false;
    }
  }

  /**
   * Gives an evaluated image its correct class (saved at once, like every label change), then
   * re-reads what shows it: the open cell's page, the evaluation (its mistakes and counts),
   * and the run (now trained on old labels).
   */
  async fixLabel(image: EvaluatedImageView, classId: number): Promise<void> {
    await this.#api.call('labels.assign', { imageIds: [image.imageId], classId });
    await this.#refreshAfterLabels();
  }

  async #refreshAfterLabels(): Promise<void> {
    const id = this.#evaluationId;
    await Promise.all([this.#loadRuns(), this.cell.refresh(), id !== null ? this.selectEvaluation(id) : Promise.resolve()]);
  }

  /** Opens the gallery of one matrix cell. */
  async openCell(actual: string, predicted: string): Promise<void> {
    const id = this.#evaluationId;
    if (id === null) return;
    await this.cell.open({ evaluationId: id, actual, predicted });
  }

  #onProgress(p: EvaluateProgress): void {
    if (p.runId !== this.#runId) return;
    this.#progress = p;
    // Finished elsewhere (another window, or before this one reconnected): show the new result.
    if ((p.phase === 'done' || p.phase === 'failed') && !this.#running) {
      const newest = p.phase === 'done';
      this.#reloads.schedule(0, () => this.reload(newest));
    }
  }
}

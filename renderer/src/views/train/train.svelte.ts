// The Train screen's state: the suggestion for the data, the form, the run being
// trained (followed through `train.progress` events) and the run history. Everything
// shown is re-read from the app on load (runs.list, train.active, runs.get), so closing
// and reopening the window, or another tab, loses nothing: events only add to it.
import type { EventPayload, Response } from '../../../../electron/api/contract.js';
import type { HoldoutClient } from '../../lib/api/client.js';
import { DebouncedReload } from '../../lib/state/debounced-reload.js';
import { appendBatch, type BatchPoint } from './charts/chart-data.js';
import { messageOf, noErrors, toFieldErrors, type FieldErrors } from '../../lib/errors.js';
import type { CoachFindingView } from './coach-links.js';
import type { TrainEvent } from './progress-text.js';
import { changedSettings, configFromForm, formFieldOf, formFromDefaults, validateForm, type TrainDefaultsView, type TrainForm } from './train-form.js';
import { settingOf, type SettingKey } from './train-settings.js';

export type RunRowView = Response<'runs.list'>['runs'][number];
export type RunDetailView = Response<'runs.get'>;
export type EpochView = RunDetailView['epochs'][number];

export class TrainState {
  readonly #api: HoldoutClient;

  form = $state<TrainForm>(formFromDefaults(null));
  /** The form as the engine's defaults fill it: what "changed" is measured against. */
  #base = $state.raw<TrainForm>(formFromDefaults(null));
  #formFilled = false;
  /** The settings that differ from the defaults (and take part in the run). */
  readonly changed: SettingKey[] = $derived(changedSettings(this.form, this.#base));
  /** The "Advanced settings" fold; the coach's Apply opens it to show a field inside. */
  advancedOpen = $state(false);

  #defaults = $state.raw<TrainDefaultsView | null>(null);
  #defaultsError = $state<string | null>(null);
  #runs = $state.raw<RunRowView[]>([]);
  #loaded = $state(false);
  #detail = $state.raw<RunDetailView | null>(null);
  /** The shown run's batch losses for the curve: the stored (thinned) ones, then the live ones. */
  #batches = $state.raw<BatchPoint[]>([]);
  #selectedId = $state<number | null>(null);
  #activeId = $state<number | null>(null);
  /** The newest event of the active (or just ended) run. */
  #last = $state.raw<TrainEvent | null>(null);
  /** The newest phase or batch event: the progress line keeps it between epochs. */
  #work = $state.raw<TrainEvent | null>(null);
  #backend = $state<string | null>(null);
  #busy = $state(false);
  #errors = $state.raw<FieldErrors>(noErrors);
  /** Reloads runs and the shown run; many changes in a row cause one reload. */
  readonly #reloads = new DebouncedReload(() => this.load());
  /** The coach's findings for the shown run; refreshed when it is selected and after each of its epochs. */
  #coach = $state.raw<{ runId: number; findings: CoachFindingView[]; error: string | null } | null>(null);
  /** Which coach request is newest: an older answer arriving late is dropped. */
  #coachAsked = 0;

  constructor(api: HoldoutClient) {
    this.#api = api;
  }

  get defaults(): TrainDefaultsView | null {
    return this.#defaults;
  }
  get defaultsError(): string | null {
    return this.#defaultsError;
  }
  get runs(): RunRowView[] {
    return this.#runs;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get detail(): RunDetailView | null {
    return this.#detail;
  }
  get batches(): BatchPoint[] {
    return this.#batches;
  }
  get selectedId(): number | null {
    return this.#selectedId;
  }
  get activeId(): number | null {
    return this.#activeId;
  }
  get last(): TrainEvent | null {
    return this.#last;
  }
  get work(): TrainEvent | null {
    return this.#work;
  }
  /** The backend of the active run, as its events name it. */
  get backend(): string | null {
    return this.#backend;
  }
  get busy(): boolean {
    return this.#busy;
  }
  get errors(): FieldErrors {
    return this.#errors;
  }
  /** The coach's findings for the shown run, or null before they are read. */
  get coach(): { runId: number; findings: CoachFindingView[]; error: string | null } | null {
    return this.#coach;
  }
  get selected(): RunRowView | null {
    return this.#runs.find((r) => r.id === this.#selectedId) ?? null;
  }

  /** Follows progress and project changes; returns how to stop. */
  connect(): () => void {
    return this.#reloads.stopWith(
      this.#api.on('train.progress', (e) => this.#onProgress(e)),
      this.#api.on('project.changed', (p: EventPayload<'project.changed'>) => {
        if (p.reason === 'runs' || p.reason === 'split' || p.reason === 'labels' || p.reason === 'import') this.#reloads.schedule();
      }),
      this.#api.onReconnect(() => void this.load()),
    );
  }

  /** The suggestion, the runs, the active run and its epochs, as the app knows them now. */
  async load(): Promise<void> {
    await Promise.all([this.#loadDefaults(), this.#loadRuns()]);
    this.#loaded = true;
  }

  async #loadDefaults(): Promise<void> {
    try {
      const d = await this.#api.call('train.defaults', {});
      this.#defaults = d;
      this.#defaultsError = null;
      if (!this.#formFilled) {
        this.#formFilled = true;
        this.#base = formFromDefaults(d.configDefaults);
        this.form = { ...this.#base };
      }
    } catch (err) {
      this.#defaults = null;
      this.#defaultsError = messageOf(err);
    }
  }

  async #loadRuns(): Promise<void> {
    try {
      const [{ runs }, { runId }] = await Promise.all([this.#api.call('runs.list', {}), this.#api.call('train.active', {})]);
      this.#runs = runs;
      this.#activeId = runId;
      if (runId !== null && this.#backend === null) this.#backend = runs.find((r) => r.id === runId)?.backend ?? null;
      // The newest run a user started: an ensemble's members are shown through it.
      const show = runId ?? this.#selectedId ?? runs.find((r) => r.kind !== 'member')?.id ?? null;
      if (show !== null) await this.select(show);
    } catch (err) {
      this.#errors = { fields: {}, general: messageOf(err) };
    }
  }

  /** Shows a run's epochs. */
  async select(runId: number): Promise<void> {
    this.#selectedId = runId;
    try {
      const detail = await this.#api.call('runs.get', { runId });
      if (this.#selectedId === runId) this.#detail = detail;
      if (this.#selectedId === runId) this.#batches = detail.batches;
    } catch (err) {
      this.#errors = { fields: {}, general: messageOf(err) };
    }
    await this.#loadCoach(runId);
  }

  /** What the coach says about a run as recorded now. */
  async #loadCoach(runId: number): Promise<void> {
    const asked = ++this.#coachAsked;
    try {
      const { findings } = await this.#api.call('runs.coach', { runId });
      if (asked === this.#coachAsked && this.#selectedId === runId) this.#coach = { runId, findings, error: null };
    } catch (err) {
      if (asked === this.#coachAsked && this.#selectedId === runId) this.#coach = { runId, findings: [], error: messageOf(err) };
    }
  }

  /** Every setting back to its default. */
  resetForm(): void {
    this.form = { ...this.#base };
    this.#errors = noErrors;
  }

  /** Checks the form; false (with the problems under their fields) when it cannot be sent. */
  check(): boolean {
    const problems = validateForm(this.form);
    const keys = Object.keys(problems) as SettingKey[];
    if (keys.length === 0) return true;
    this.#errors = { fields: problems as Record<string, string>, general: keys.length > 1 ? `${keys.length} settings need a look before training can start.` : null };
    if (keys.some((k) => settingOf(k).group !== 'basic')) this.advancedOpen = true;
    return false;
  }

  async start(): Promise<void> {
    if (this.#busy || this.#activeId !== null) return;
    this.#errors = noErrors;
    if (!this.check()) return;
    this.#busy = true;
    try {
      const { run } = await this.#api.call('train.start', { config: configFromForm(this.form, this.#base) });
      this.#begin(run);
    } catch (err) {
      this.#errors = this.#fieldErrors(err);
    } finally {
      this.#busy = false;
    }
  }

  async stop(): Promise<void> {
    const id = this.#activeId;
    if (id === null || this.#busy) return;
    this.#busy = true;
    try {
      const { run } = await this.#api.call('train.stop', { runId: id });
      this.#replaceRun(run);
    } catch (err) {
      this.#errors = { fields: {}, general: messageOf(err) };
    } finally {
      this.#busy = false;
    }
  }

  async resume(runId: number): Promise<void> {
    if (this.#busy || this.#activeId !== null) return;
    this.#busy = true;
    this.#errors = noErrors;
    try {
      const { run } = await this.#api.call('train.resume', { runId });
      this.#begin(run);
    } catch (err) {
      this.#errors = { fields: {}, general: messageOf(err) };
    } finally {
      this.#busy = false;
    }
  }

  #begin(run: RunRowView): void {
    this.#activeId = run.id;
    this.#last = null;
    this.#work = null;
    this.#backend = null;
    this.#replaceRun(run);
    void this.select(run.id);
  }

  #replaceRun(run: RunRowView): void {
    const others = this.#runs.filter((r) => r.id !== run.id);
    this.#runs = [run, ...others].sort((a, b) => b.id - a.id);
  }

  /** The server's refusal under the field it names (opening the fold when that field is inside it). */
  #fieldErrors(err: unknown): FieldErrors {
    const field = formFieldOf((err as { field?: unknown } | null)?.field as string | undefined);
    if (!field) return toFieldErrors(err, []);
    if (settingOf(field).group !== 'basic') this.advancedOpen = true;
    return { fields: { [field]: messageOf(err) }, general: null };
  }

  #onProgress(e: TrainEvent): void {
    // Events of a run this window did not start (another tab, a reopened window) still count.
    if (this.#activeId === null && e.type !== 'end') {
      this.#activeId = e.runId;
      if (this.#selectedId !== e.runId) void this.select(e.runId);
    }
    if (e.runId !== this.#activeId) return;
    this.#last = e;
    this.#backend = e.backend;
    if (e.type === 'phase' || e.type === 'batch') this.#work = e;
    if (e.type === 'epoch') this.#addEpoch(e);
    if (e.type === 'batch') this.#addBatch(e);
    if (e.type === 'status') {
      const run = this.#runs.find((r) => r.id === e.runId);
      if (run) this.#replaceRun({ ...run, status: e.status, backend: e.backend });
      // A resume drops the epochs after its checkpoint: show the run as it is now.
      if (/^Resumed/.test(e.message)) void this.select(e.runId);
    }
    if (e.type === 'end') {
      this.#activeId = null;
      this.#work = null;
      this.#reloads.schedule(0);
    }
  }

  #addEpoch(e: Extract<TrainEvent, { type: 'epoch' }>): void {
    const d = this.#detail;
    if (!d || d.run.id !== e.runId) return;
    const row: EpochView = {
      epoch: e.epoch,
      trainLoss: e.trainLoss,
      trainAccuracy: e.trainAccuracy,
      valLoss: e.valLoss,
      valAccuracy: e.valAccuracy,
      learningRate: e.learningRate,
      seconds: e.seconds,
      imagesPerSecond: e.imagesPerSecond,
    };
    const epochs = [...d.epochs.filter((x) => x.epoch < e.epoch), row];
    this.#detail = { ...d, epochs, run: { ...d.run, bestEpoch: e.bestEpoch, epochsRun: e.epoch, status: 'running' } };
    // The epoch is recorded before its event goes out: the coach reads it live.
    void this.#loadCoach(e.runId);
  }

  #addBatch(e: Extract<TrainEvent, { type: 'batch' }>): void {
    if (this.#detail?.run.id !== e.runId) return;
    this.#batches = appendBatch(this.#batches, { epoch: e.epoch, batch: e.batch, loss: e.loss, accuracy: e.accuracy });
  }
}

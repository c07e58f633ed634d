// The Runs screen's state: every run (runs.list), the chosen order, the runs ticked for
// comparison with their epochs and settings (runs.get), the one field being edited and the
// run being deleted. Re-read from the app on load, when a run ends, when the project
// changes and on reconnect; the order and the ticked runs outlive a switch of screens.
import type { EventPayload, Response } from '../../../../electron/api/contract.js';
import { ApiError } from '../../../../electron/api/errors.js';
import type { HoldoutClient } from '../../lib/api/client.js';
import { DebouncedReload } from '../../lib/state/debounced-reload.js';
import { messageOf } from '../../lib/errors.js';
import { formatBytes } from '../../lib/format.js';
import { freeColourIndex, runColour } from './overlay-data.js';
import { checkEdit, checkpointFiles, deleteBlocked, type DeleteFacts, type EditField } from './run-actions.js';
import { DEFAULT_SORT, nextSort, sortRuns, withMembersUnder, type RunSort, type SortKey } from './run-sort.js';

export type RunRowView = Response<'runs.list'>['runs'][number];
export type RunDetailView = Response<'runs.get'>;

export interface ComparedRun {
  run: RunRowView;
  /** Null until its runs.get answers. */
  detail: RunDetailView | null;
  colour: string;
}

export interface EditState {
  runId: number;
  field: EditField;
  saving: boolean;
  error: string | null;
}

export interface DeleteState {
  run: RunRowView;
  facts: DeleteFacts;
  busy: boolean;
  error: string | null;
}

export class RunsState {
  readonly #api: HoldoutClient;

  #runs = $state.raw<RunRowView[]>([]);
  #loaded = $state(false);
  #error = $state<string | null>(null);
  #sort = $state<RunSort>(DEFAULT_SORT);
  /** Ticked runs in the order they were ticked, each with its colour's index. */
  #compared = $state.raw<{ id: number; colour: number }[]>([]);
  #details = $state.raw<ReadonlyMap<number, RunDetailView>>(new Map());
  #edit = $state.raw<EditState | null>(null);
  /** The button that opened the closed editor: it gets the focus back (plain field, read once). */
  #refocus: { runId: number; field: EditField } | null = null;
  #deleting = $state.raw<DeleteState | null>(null);
  /** The last thing done, said once (e.g. "Deleted …"). */
  #notice = $state<string | null>(null);
  /** Many changes in a row cause one reload. */
  readonly #reloads = new DebouncedReload(() => this.load());
  /** Which load is newest: an older answer arriving late is dropped. */
  #loads = 0;

  /** Sorted, with each ensemble's members right under it. */
  readonly sorted = $derived(withMembersUnder(sortRuns(this.#runs, this.#sort)));

  constructor(api: HoldoutClient) {
    this.#api = api;
  }

  get runs(): RunRowView[] {
    return this.#runs;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get error(): string | null {
    return this.#error;
  }
  get sort(): RunSort {
    return this.#sort;
  }
  get edit(): EditState | null {
    return this.#edit;
  }
  get deleting(): DeleteState | null {
    return this.#deleting;
  }
  get notice(): string | null {
    return this.#notice;
  }
  isCompared(runId: number): boolean {
    return this.#compared.some((c) => c.id === runId);
  }
  /** The ticked runs that still exist, in the order they were ticked. */
  get compared(): ComparedRun[] {
    const out: ComparedRun[] = [];
    for (const c of this.#compared) {
      const run = this.#runs.find((r) => r.id === c.id);
      if (run) out.push({ run, detail: this.#details.get(c.id) ?? null, colour: runColour(c.colour) });
    }
    return out;
  }

  /** Follows run ends and starts, epochs of compared runs, project changes and reconnects; returns how to stop. */
  connect(): () => void {
    return this.#reloads.stopWith(
      this.#api.on('train.progress', (e) => {
        if (e.type === 'end') this.#reloads.schedule(0);
        else if (e.type === 'status' && !this.#runs.some((r) => r.id === e.runId && r.status === e.status)) this.#reloads.schedule();
        // The curves of a ticked run grow while it trains; one reload a second at most.
        else if (e.type === 'epoch' && this.isCompared(e.runId)) this.#reloads.schedule(1000);
      }),
      this.#api.on('project.changed', (_p: EventPayload<'project.changed'>) => this.#reloads.schedule()),
      this.#api.onReconnect(() => void this.load()),
    );
  }

  /** The runs, and the epochs and settings of the ticked ones, as the app knows them now. */
  async load(): Promise<void> {
    const load = ++this.#loads;
    try {
      const { runs } = await this.#api.call('runs.list', {});
      if (load !== this.#loads) return;
      this.#runs = runs;
      this.#error = null;
      this.#setCompared(this.#compared.filter((c) => runs.some((r) => r.id === c.id)));
      await Promise.all(this.#compared.map((c) => this.#loadDetail(c.id)));
    } catch (err) {
      if (load === this.#loads) this.#error = messageOf(err);
    } finally {
      if (load === this.#loads) this.#loaded = true;
    }
  }

  async #loadDetail(runId: number): Promise<void> {
    try {
      const detail = await this.#api.call('runs.get', { runId });
      const next = new Map(this.#details);
      next.set(runId, detail);
      this.#details = next;
    } catch (err) {
      this.#error = `Could not read run ${runId}: ${messageOf(err)}`;
    }
  }

  sortBy(key: SortKey): void {
    this.#sort = nextSort(this.#sort, key);
  }

  /** Ticks or unticks a run for comparison. */
  toggleCompared(runId: number): void {
    if (this.isCompared(runId)) {
      this.#setCompared(this.#compared.filter((c) => c.id !== runId));
      return;
    }
    this.#setCompared([...this.#compared, { id: runId, colour: freeColourIndex(this.#compared.map((c) => c.colour)) }]);
    if (!this.#details.has(runId)) void this.#loadDetail(runId);
  }

  clearCompared(): void {
    this.#setCompared([]);
  }

  #setCompared(next: { id: number; colour: number }[]): void {
    this.#compared = next;
  }

  // --- rename and annotate ---

  startEdit(runId: number, field: EditField): void {
    this.#edit = { runId, field, saving: false, error: null };
  }

  cancelEdit(): void {
    if (this.#edit?.saving) return;
    this.#closeEdit();
  }

  #closeEdit(): void {
    if (this.#edit) this.#refocus = { runId: this.#edit.runId, field: this.#edit.field };
    this.#edit = null;
  }

  /** True once for the button whose editor just closed, so the keyboard stays where it was. */
  takeFocus(runId: number, field: EditField): boolean {
    if (this.#refocus?.runId !== runId || this.#refocus.field !== field) return false;
    this.#refocus = null;
    return true;
  }

  /** Saves the edited field; on an error the field stays open with the message under it. */
  async saveEdit(raw: string): Promise<void> {
    const edit = this.#edit;
    if (!edit || edit.saving) return;
    const checked = checkEdit(edit.field, raw);
    if (checked.error !== null) {
      this.#edit = { ...edit, error: checked.error };
      return;
    }
    const current = this.#runs.find((r) => r.id === edit.runId);
    if (current && current[edit.field] === checked.value) {
      this.#closeEdit();
      return;
    }
    this.#edit = { ...edit, saving: true, error: null };
    try {
      const change = edit.field === 'name' ? { name: checked.value } : { note: checked.value };
      const { run } = await this.#api.call('runs.update', { runId: edit.runId, ...change });
      this.#runs = this.#runs.map((r) => (r.id === run.id ? run : r));
      if (this.#edit?.runId === edit.runId && this.#edit.field === edit.field) this.#closeEdit();
    } catch (err) {
      // The server names the field at fault; the message goes under the field being edited either way.
      const named = err instanceof ApiError && err.field && err.field !== edit.field ? ` (${err.field})` : '';
      if (this.#edit?.runId === edit.runId) this.#edit = { ...edit, saving: false, error: `${messageOf(err)}${named}` };
    }
  }

  // --- delete ---

  /** Opens the confirmation, then fills in what goes with the run (checkpoints, evaluations). */
  async askDelete(run: RunRowView): Promise<void> {
    if (deleteBlocked(run)) return;
    this.#deleting = { run, facts: { name: run.name, epochs: run.epochsRun, checkpoints: null, evaluations: null }, busy: false, error: null };
    const [detail, evaluations] = await Promise.allSettled([
      this.#api.call('runs.get', { runId: run.id }),
      this.#api.call('evaluate.list', { runId: run.id }),
    ]);
    const d = this.#deleting as DeleteState | null;
    if (d?.run.id !== run.id) return;
    this.#deleting = {
      ...d,
      facts: {
        ...d.facts,
        epochs: detail.status === 'fulfilled' ? detail.value.epochs.length : d.facts.epochs,
        checkpoints: detail.status === 'fulfilled' ? checkpointFiles(detail.value.checkpoints) : null,
        evaluations: evaluations.status === 'fulfilled' ? evaluations.value.evaluations.length : null,
      },
    };
  }

  cancelDelete(): void {
    if (this.#deleting?.busy) return;
    this.#deleting = null;
  }

  async confirmDelete(): Promise<void> {
    const d = this.#deleting;
    if (!d || d.busy) return;
    this.#deleting = { ...d, busy: true, error: null };
    try {
      const { bytesFreed } = await this.#api.call('runs.delete', { runId: d.run.id, confirm: true });
      this.#runs = this.#runs.filter((r) => r.id !== d.run.id);
      this.#setCompared(this.#compared.filter((c) => c.id !== d.run.id));
      const next = new Map(this.#details);
      next.delete(d.run.id);
      this.#details = next;
      this.#deleting = null;
      if (this.#edit?.runId === d.run.id) this.#edit = null;
      this.#notice = `Deleted “${d.run.name}”${bytesFreed > 0 ? ` and freed ${formatBytes(bytesFreed)}` : ''}.`;
    } catch (err) {
      if (this.#deleting?.run.id === d.run.id) this.#deleting = { ...d, busy: false, error: messageOf(err) };
    }
  }

  dismissNotice(): void {
    this.#notice = null;
  }
}

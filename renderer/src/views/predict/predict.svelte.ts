// The Predict screen's state: the runs that can predict and the chosen one, the files
// and folders to predict on, a prediction in progress (followed through
// `predict.progress`), its result, the table's order and the rows chosen to add to the
// project, and the outcome of "Export CSV" and "Add to project".
import type { HoldoutClient } from '../../lib/api/client.js';
import { messageOf } from '../../lib/errors.js';
import {
  defaultPredictRun,
  predictableRuns,
  sortPredictions,
  suggestionsFor,
  type PredictionView,
  type PredictProgress,
  type PredictResultView,
  type RunView,
  type SortOrder,
} from './predict-text.js';

export interface AddOutcome {
  imported: number;
  suggested: number;
  errors: { path: string; reason: string }[];
}

export class PredictState {
  readonly #api: HoldoutClient;
  #runs = $state.raw<RunView[]>([]);
  #runId = $state<number | null>(null);
  #paths = $state.raw<string[]>([]);
  #result = $state.raw<PredictResultView | null>(null);
  #progress = $state.raw<PredictProgress | null>(null);
  #running = $state(false);
  #error = $state<string | null>(null);
  #sort = $state<SortOrder>('confidence-desc');
  #chosen = $state.raw<ReadonlySet<string>>(new Set());
  #csvPath = $state<string | null>(null);
  #added = $state.raw<AddOutcome | null>(null);
  #busy = $state(false);

  constructor(api: HoldoutClient) {
    this.#api = api;
  }

  get runs(): RunView[] {
    return predictableRuns(this.#runs);
  }
  get runId(): number | null {
    return this.#runId;
  }
  get paths(): string[] {
    return this.#paths;
  }
  get result(): PredictResultView | null {
    return this.#result;
  }
  get rows(): PredictionView[] {
    return this.#result ? sortPredictions(this.#result.results, this.#sort) : [];
  }
  get progress(): PredictProgress | null {
    return this.#progress;
  }
  get running(): boolean {
    return this.#running;
  }
  get error(): string | null {
    return this.#error;
  }
  get sort(): SortOrder {
    return this.#sort;
  }
  get chosen(): ReadonlySet<string> {
    return this.#chosen;
  }
  get csvPath(): string | null {
    return this.#csvPath;
  }
  get added(): AddOutcome | null {
    return this.#added;
  }
  /** Exporting or adding is in progress. */
  get busy(): boolean {
    return this.#busy;
  }
  get canPredict(): boolean {
    return this.#runId !== null && this.#paths.length > 0 && !this.#running;
  }

  /** Follows progress events of this screen's predictions. */
  connect(): () => void {
    return this.#api.on('predict.progress', (p) => {
      if (this.#running && p.runId === this.#runId) this.#progress = p;
    });
  }

  async load(): Promise<void> {
    try {
      this.#runs = (await this.#api.call('runs.list', {})).runs;
      this.#runId = defaultPredictRun(this.#runs, this.#runId);
    } catch (err) {
      this.#error = messageOf(err);
    }
  }

  chooseRun(id: number): void {
    this.#runId = id;
  }
  setSort(order: SortOrder): void {
    this.#sort = order;
  }

  addPaths(paths: readonly string[]): void {
    this.#paths = [...new Set([...this.#paths, ...paths.filter((p) => p.trim() !== '')])];
  }
  removePath(path: string): void {
    this.#paths = this.#paths.filter((p) => p !== path);
  }
  clearPaths(): void {
    this.#paths = [];
  }

  toggle(path: string): void {
    const next = new Set(this.#chosen);
    if (next.has(path)) next.delete(path);
    else next.add(path);
    this.#chosen = next;
  }
  chooseAll(on: boolean): void {
    this.#chosen = on && this.#result ? new Set(this.#result.results.filter((r) => r.ok).map((r) => r.path)) : new Set();
  }

  async predict(): Promise<void> {
    if (!this.canPredict) return;
    this.#running = true;
    this.#error = null;
    this.#progress = null;
    this.#csvPath = null;
    this.#added = null;
    try {
      const result = await this.#api.call('predict.run', { runId: this.#runId!, paths: this.#paths, thumbnails: true });
      this.#result = result;
      this.#chosen = new Set(result.results.filter((r) => r.ok).map((r) => r.path));
    } catch (err) {
      this.#error = messageOf(err);
    } finally {
      this.#running = false;
    }
  }

  async exportCsv(): Promise<void> {
    if (!this.#result) return;
    this.#busy = true;
    this.#error = null;
    try {
      // Thumbnails stay here: the CSV has no use for them.
      const results = this.#result.results.map(({ thumbnail: _thumbnail, ...rest }) => rest);
      this.#csvPath = (await this.#api.call('predict.exportCsv', { model: this.#result.model, results })).path;
    } catch (err) {
      this.#error = messageOf(err);
    } finally {
      this.#busy = false;
    }
  }

  async addToProject(): Promise<void> {
    if (!this.#result) return;
    const suggestions = suggestionsFor(this.#result.results, this.#chosen);
    if (suggestions.length === 0) return;
    this.#busy = true;
    this.#error = null;
    try {
      const r = await this.#api.call('predict.addToProject', { runId: this.#result.model.runId, suggestions });
      this.#added = { imported: r.imported, suggested: r.suggested, errors: r.errors };
    } catch (err) {
      this.#error = messageOf(err);
    } finally {
      this.#busy = false;
    }
  }
}
